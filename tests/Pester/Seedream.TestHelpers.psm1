# Helpers for the Pester suites, the demo and the benchmarks: start and drive the fake Seedream API.
Set-StrictMode -Version 3.0

function Start-FakeSeedreamApi {
    <# Starts the fake API on a free loopback port; returns its addresses and the key it accepts. #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [string] $Path,
        [string] $ApiKey = 'test-key'
    )
    $dll = Join-Path $Path 'Seedream.FakeApi.dll'
    if (-not (Test-Path $dll)) { throw "The fake API is not built at $dll; run ./build.ps1 first." }
    $start = [System.Diagnostics.ProcessStartInfo]::new('dotnet')
    foreach ($argument in $dll, '--port', '0', '--key', $ApiKey) { $start.ArgumentList.Add($argument) }
    $start.RedirectStandardOutput = $true
    $start.RedirectStandardInput = $true
    $start.UseShellExecute = $false
    $process = [System.Diagnostics.Process]::Start($start)
    $read = $process.StandardOutput.ReadLineAsync()
    if (-not $read.Wait([TimeSpan]::FromSeconds(30)) -or $read.Result -notmatch '^Listening on (?<root>http://\S+/)$') {
        $process.Kill()
        throw "The fake API did not start: '$($read.Result)'."
    }
    $root = $Matches.root
    [pscustomobject]@{
        Process = $process
        Root    = $root
        ApiV1   = $root + 'v1'
        ApiV3   = $root + 'api/v3'
        # One route per provider, named Api<Provider>: the fake checks each provider's own id forms and limits.
        ApiAPIYI      = $root + 'v1'
        ApiBytePlus   = $root + 'api/v3'
        ApiVolcengine = $root + 'volcengine/api/v3'
        ApiKey  = $ApiKey
    }
}

function Stop-FakeSeedreamApi {
    [CmdletBinding()]
    param([Parameter(Mandatory)] $Fake)
    try { $null = Invoke-RestMethod -Method Post -Uri ($Fake.Root + '_control/shutdown') -NoProxy -TimeoutSec 5 } catch { }
    if (-not $Fake.Process.WaitForExit(5000)) { $Fake.Process.Kill() }
    $Fake.Process.Dispose()
}

function Invoke-FakeControl {
    param($Fake, [string] $Method, [string] $Route, $Body)
    $arguments = @{ Method = $Method; Uri = $Fake.Root + '_control/' + $Route; NoProxy = $true; TimeoutSec = 30 }
    if ($null -ne $Body) {
        $arguments.Body = ConvertTo-Json -InputObject $Body -Depth 10 -Compress
        $arguments.ContentType = 'application/json'
    }
    Invoke-RestMethod @arguments
}

function Get-FakeRequest {
    <# The requests the fake received, oldest first; -Target generate, download or models narrows them. #>
    param([Parameter(Mandatory)] $Fake, [ValidateSet('generate', 'download', 'models')] [string] $Target)
    # Invoke-RestMethod hands a JSON array over as one object: the pipe below unrolls it.
    $all = Invoke-FakeControl $Fake Get 'requests' | ForEach-Object { $_ }
    if ($Target) { $all | Where-Object target -EQ $Target } else { $all }
}

function Add-FakeFault {
    <# Queues fault rules (hashtables with the fake's fault fields: status, code, retryAfter, drop, errorSlots, ...). #>
    param([Parameter(Mandatory)] $Fake, [Parameter(Mandatory)] [hashtable[]] $Rule)
    $null = Invoke-FakeControl $Fake Post 'faults' $Rule
}

function Set-FakeSetting {
    param([Parameter(Mandatory)] $Fake, [int] $LatencyMs, [int] $StreamDelayMs, [int] $ImagePaddingBytes)
    $settings = @{}
    if ($PSBoundParameters.ContainsKey('LatencyMs')) { $settings.latencyMs = $LatencyMs }
    if ($PSBoundParameters.ContainsKey('StreamDelayMs')) { $settings.streamDelayMs = $StreamDelayMs }
    if ($PSBoundParameters.ContainsKey('ImagePaddingBytes')) { $settings.imagePaddingBytes = $ImagePaddingBytes }
    $null = Invoke-FakeControl $Fake Post 'settings' $settings
}

function Set-FakeAnswer {
    <# What the fake's answers state instead of echoing the request (reset by Reset-FakeSeedreamApi): -Size WxH every
       image is made at, -Created Unix seconds, -Naming Both/NameOnly/TypeOnly/GatewayType, -NoImageIndex, -Reversed. #>
    param([Parameter(Mandatory)] $Fake, [string] $Size, [long] $Created, [ValidateSet('Both', 'NameOnly', 'TypeOnly', 'GatewayType')] [string] $Naming,
        [switch] $NoImageIndex, [switch] $Reversed)
    $answers = @{}
    if ($Size) { $answers.size = $Size }
    if ($PSBoundParameters.ContainsKey('Created')) { $answers.created = $Created }
    if ($Naming) { $answers.naming = $Naming }
    if ($NoImageIndex) { $answers.imageIndexes = $false }
    if ($Reversed) { $answers.reversed = $true }
    $null = Invoke-FakeControl $Fake Post 'answers' $answers
}

function Reset-FakeSeedreamApi {
    <# Clears recorded requests, faults and settings. #>
    param([Parameter(Mandatory)] $Fake)
    $null = Invoke-FakeControl $Fake Post 'reset'
}

function Send-FakeRelease {
    <# Lets a stream held by a holdAfterEvents fault go on. #>
    param([Parameter(Mandatory)] $Fake)
    $null = Invoke-FakeControl $Fake Post 'release'
}

function New-TestImageFile {
    <# Writes a minimal PNG header of the given size (enough for the module's header checks) and returns its path. #>
    param([Parameter(Mandatory)] [string] $Path, [int] $Width = 64, [int] $Height = 64, [int] $PadBytes = 0)
    $bytes = [System.Collections.Generic.List[byte]]::new()
    $bytes.AddRange([byte[]](0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52))
    foreach ($value in $Width, $Height) {
        $bytes.AddRange([byte[]]@((($value -shr 24) -band 0xFF), (($value -shr 16) -band 0xFF), (($value -shr 8) -band 0xFF), ($value -band 0xFF)))
    }
    $bytes.AddRange([byte[]](8, 2, 0, 0, 0, 0, 0, 0, 0))
    if ($PadBytes -gt 0) { $bytes.AddRange([byte[]]::new($PadBytes)) }
    [System.IO.File]::WriteAllBytes($Path, $bytes.ToArray())
    Get-Item $Path
}

function Get-Refusal {
    <# Runs a call that must be refused: returns the error record it threw, or $null when nothing was thrown. #>
    param([Parameter(Mandatory)] [scriptblock] $Call)
    try { $null = & $Call; $null } catch { $_ }
}

function New-ReferenceUrl {
    <# N distinct reference image URLs (the fake API accepts any http(s) URL as a reference). #>
    param([Parameter(Mandatory)] [int] $Count)
    1..$Count | ForEach-Object { "https://img.example/ref$_.png" }
}

function Wait-Until {
    <# Polls a condition (an order-of-events wait, bounded only as a safety net). #>
    param([Parameter(Mandatory)] [scriptblock] $Condition, [int] $Seconds = 20)
    $deadline = [DateTime]::UtcNow.AddSeconds($Seconds)
    while (-not (& $Condition)) {
        if ([DateTime]::UtcNow -gt $deadline) { throw "Timed out waiting for: $Condition" }
        Start-Sleep -Milliseconds 25
    }
}

Export-ModuleMember -Function *-*
