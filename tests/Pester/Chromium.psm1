# Headless Chromium driven over the DevTools protocol (a WebSocket from PowerShell, no Node): open a page, evaluate
# JavaScript in it, take screenshots. Used by the gallery tests to check what a person would see.
Set-StrictMode -Version 3.0

function Find-Chromium {
    <# The chromium executable, or $null when none is installed. #>
    foreach ($name in 'chromium', 'chromium-browser', 'google-chrome', 'chrome') {
        $command = Get-Command $name -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
        if ($command) { return $command.Source }
    }
    $null
}

function Start-Chromium {
    <# Starts headless Chromium with a fresh profile and its DevTools endpoint on a free loopback port. #>
    param([Parameter(Mandatory)] [string] $Executable)
    $profileDir = Join-Path ([IO.Path]::GetTempPath()) "seedream-chromium-$([guid]::NewGuid().ToString('N'))"
    $start = [System.Diagnostics.ProcessStartInfo]::new($Executable)
    foreach ($argument in '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--no-default-browser-check',
        '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-default-apps', '--disable-extensions',
        '--mute-audio', "--user-data-dir=$profileDir", '--remote-debugging-address=127.0.0.1', '--remote-debugging-port=0', 'about:blank') {
        $start.ArgumentList.Add($argument)
    }
    $start.RedirectStandardError = $true
    $start.RedirectStandardOutput = $true
    $start.UseShellExecute = $false
    $process = [System.Diagnostics.Process]::Start($start)
    $null = $process.StandardOutput.ReadToEndAsync()
    $endpoint = $null
    $deadline = [DateTime]::UtcNow.AddSeconds(60) # a safety net only: the line comes as soon as the browser is up
    while (-not $endpoint) {
        $read = $process.StandardError.ReadLineAsync()
        if (-not $read.Wait([Math]::Max(1, ($deadline - [DateTime]::UtcNow).TotalMilliseconds)) -or $null -eq $read.Result) {
            if (-not $process.HasExited) { $process.Kill() }
            throw 'Chromium did not report its DevTools endpoint.'
        }
        if ($read.Result -match 'DevTools listening on (?<ws>ws://\S+)') { $endpoint = $Matches.ws }
    }
    $null = $process.StandardError.ReadToEndAsync() # keep draining, so the browser never blocks on a full pipe

    $socket = [System.Net.WebSockets.ClientWebSocket]::new()
    $socket.Options.KeepAliveInterval = [TimeSpan]::Zero
    $null = $socket.ConnectAsync([Uri]$endpoint, [Threading.CancellationToken]::None).GetAwaiter().GetResult()
    $browser = [pscustomobject]@{ Process = $process; Socket = $socket; Profile = $profileDir; NextId = 0; Session = $null }
    $target = Invoke-DevTools $browser 'Target.createTarget' @{ url = 'about:blank' } -Browser
    $attached = Invoke-DevTools $browser 'Target.attachToTarget' @{ targetId = $target.targetId; flatten = $true } -Browser
    $browser.Session = $attached.sessionId
    $null = Invoke-DevTools $browser 'Page.enable' @{}
    $browser
}

function Receive-DevToolsMessage {
    param([Parameter(Mandatory)] $Chromium)
    $buffer = [byte[]]::new(1MB)
    $message = [IO.MemoryStream]::new()
    $timeout = [Threading.CancellationTokenSource]::new([TimeSpan]::FromSeconds(120)) # a safety net: a hung browser fails the test
    try {
        do {
            $segment = [ArraySegment[byte]]::new($buffer)
            $result = $Chromium.Socket.ReceiveAsync($segment, $timeout.Token).GetAwaiter().GetResult()
            if ($result.MessageType -eq 'Close') { throw 'Chromium closed the DevTools connection.' }
            $message.Write($buffer, 0, $result.Count)
        } while (-not $result.EndOfMessage)
    }
    finally { $timeout.Dispose() }
    $text = [Text.Encoding]::UTF8.GetString($message.ToArray())
    $text | ConvertFrom-Json -Depth 20
}

function Invoke-DevTools {
    <# Sends one DevTools command (to the page's session unless -Browser) and returns its result; -WaitFor also waits for an event. #>
    param([Parameter(Mandatory)] $Chromium, [Parameter(Mandatory)] [string] $Method, [hashtable] $Params = @{}, [switch] $Browser, [string] $WaitFor)
    $Chromium.NextId++
    $id = $Chromium.NextId
    $command = @{ id = $id; method = $Method; params = $Params }
    if (-not $Browser) { $command.sessionId = $Chromium.Session }
    $bytes = [Text.Encoding]::UTF8.GetBytes((ConvertTo-Json $command -Depth 20 -Compress))
    $null = $Chromium.Socket.SendAsync([ArraySegment[byte]]::new($bytes), 'Text', $true, [Threading.CancellationToken]::None).GetAwaiter().GetResult()
    $answer = $null
    $eventSeen = -not $WaitFor
    while (-not $answer -or -not $eventSeen) {
        $message = Receive-DevToolsMessage $Chromium
        if ($message.PSObject.Properties['id'] -and $message.id -eq $id) {
            if ($message.PSObject.Properties['error']) { throw "DevTools $Method failed: $($message.error.message)" }
            $answer = $message
        }
        elseif ($WaitFor -and $message.PSObject.Properties['method'] -and $message.method -eq $WaitFor) { $eventSeen = $true }
    }
    $answer.result
}

function Open-ChromiumPage {
    <# Navigates to a URL (or a local file's -Path) and waits for its load event. #>
    param([Parameter(Mandatory)] $Chromium, [string] $Url, [string] $Path, [int] $Width = 1400, [int] $Height = 1000, [switch] $Mobile)
    if ($Path) { $Url = [Uri]::new([IO.Path]::GetFullPath($Path)).AbsoluteUri }
    $null = Invoke-DevTools $Chromium 'Emulation.setDeviceMetricsOverride' @{ width = $Width; height = $Height; deviceScaleFactor = 1; mobile = [bool]$Mobile }
    $null = Invoke-DevTools $Chromium 'Page.navigate' @{ url = $Url } -WaitFor 'Page.loadEventFired'
}

function Invoke-ChromiumScript {
    <# Evaluates JavaScript in the page (a promise is awaited) and returns its value. #>
    param([Parameter(Mandatory)] $Chromium, [Parameter(Mandatory)] [string] $Expression)
    $result = Invoke-DevTools $Chromium 'Runtime.evaluate' @{ expression = $Expression; awaitPromise = $true; returnByValue = $true }
    if ($result.PSObject.Properties['exceptionDetails']) { throw "The page script failed: $($result.exceptionDetails.text)" }
    $result.result.value
}

function Save-ChromiumScreenshot {
    <# Saves a PNG of the whole page. #>
    param([Parameter(Mandatory)] $Chromium, [Parameter(Mandatory)] [string] $Path)
    $shot = Invoke-DevTools $Chromium 'Page.captureScreenshot' @{ format = 'png'; captureBeyondViewport = $true }
    $null = New-Item -ItemType Directory -Path (Split-Path $Path) -Force
    [IO.File]::WriteAllBytes($Path, [Convert]::FromBase64String($shot.data))
    Get-Item $Path
}

function Stop-Chromium {
    param([Parameter(Mandatory)] $Chromium)
    try { $null = Invoke-DevTools $Chromium 'Browser.close' -Browser } catch { }
    $Chromium.Socket.Dispose()
    if (-not $Chromium.Process.WaitForExit(10000)) { $Chromium.Process.Kill() }
    $Chromium.Process.Dispose()
    Remove-Item $Chromium.Profile -Recurse -Force -ErrorAction SilentlyContinue
}

Export-ModuleMember -Function Find-Chromium, Start-Chromium, Open-ChromiumPage, Invoke-ChromiumScript, Save-ChromiumScreenshot, Stop-Chromium
