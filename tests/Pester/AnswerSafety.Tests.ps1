# Issue 13: faults that lost money or data, and the Windows PowerShell hardening, as a user meets them.
Describe 'Answers, connections and headers' {
    BeforeAll { . (Join-Path $PSScriptRoot 'TestSetup.ps1') }
    AfterAll { . (Join-Path $PSScriptRoot 'TestTeardown.ps1') }
    BeforeEach { Reset-FakeSeedreamApi $Fake }

    It 'sends a User-Agent naming the module, PowerShell and the OS on requests and downloads, and no Expect: 100-continue' {
        New-SeedreamImage -Prompt 'agent' | Save-SeedreamResult -Path (Join-Path $TestDrive 'agent') | Out-Null
        $requests = @(Get-FakeRequest $Fake)
        $requests | Should -HaveCount 2
        $version = (Get-Module Seedream).Version.ToString(3)
        foreach ($request in $requests) {
            $request.userAgent.StartsWith("Seedream-PowerShell/$version (PowerShell $($PSVersionTable.PSEdition) $($PSVersionTable.PSVersion); ") | Should -BeTrue
            $request.userAgent | Should -Match '^Seedream-PowerShell/\d+\.\d+\.\d+ \(PowerShell (Core|Desktop) [\d.]+\S*; [^()]+\)$'
            $request.expect | Should -BeNullOrEmpty
        }
    }

    It 'retries a request that could not connect, and says it was not billed' {
        $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $listener.Start()
        $port = $listener.LocalEndpoint.Port
        $listener.Stop()
        $failure = Get-Refusal { New-SeedreamImage -Prompt 'closed' -BaseUri "http://127.0.0.1:$port/v1" -MaxRetryCount 1 -ErrorAction Stop }
        $failure.FullyQualifiedErrorId | Should -BeLike 'Seedream.ConnectionFailed,*'
        $failure.Exception.Attempts | Should -Be 2
        $failure.Exception.MayHaveBeenBilled | Should -BeFalse
    }

    It 'does not repeat a request whose connection dropped after it was sent, and says it may be billed' {
        Add-FakeFault $Fake @{ drop = $true; times = 3 }
        $failure = Get-Refusal { New-SeedreamImage -Prompt 'dropped' -ErrorAction Stop }
        $failure.FullyQualifiedErrorId | Should -BeLike 'Seedream.ResponseBroken,*'
        $failure.Exception.Message | Should -Match 'after the whole request was sent'
        $failure.Exception.Message | Should -Match 'may already be billed'
        @(Get-FakeRequest $Fake -Target generate) | Should -HaveCount 1
    }

    It 'reads a stream whose lines end with <Ending>' -TestCases @(@{ Ending = 'cr' }, @{ Ending = 'crlf' }) {
        param($Ending)
        Add-FakeFault $Fake @{ lineEnding = $Ending }
        $images = @(New-SeedreamImage -Prompt 'lines' -MaxImages 2 -Stream -ErrorAction Stop)
        $images | Should -HaveCount 2
        $images.Index | Should -Be @(0, 1)
    }

    It 'dates a result without a created time by its arrival, so it is not expired' {
        Add-FakeFault $Fake @{ body = '{"model":"seedream-5-0-260128","data":[{"url":"https://img.example/a.jpeg","size":"2048x2048"}]}' }
        $image = New-SeedreamImage -Prompt 'no created' -ErrorAction Stop
        $image.IsExpired | Should -BeFalse
        $image.TimeLeft.TotalHours | Should -BeGreaterThan 23
    }

    It 'refuses -AdditionalBody numbers JSON cannot carry before any request' {
        $failure = Get-Refusal { New-SeedreamImage -Prompt 'nan' -AdditionalBody @{ extra = @{ scale = [double]::NaN } } -ErrorAction Stop }
        $failure.FullyQualifiedErrorId | Should -BeLike 'Seedream.InvalidParameter,*'
        $failure.Exception.ParameterName | Should -Be 'AdditionalBody'
        $failure.Exception.Message | Should -Match "'extra.scale' is NaN"
        @(Get-FakeRequest $Fake) | Should -HaveCount 0
    }

    It 'writes -AdditionalBody dates as ISO 8601 and numbers as they are, whatever the culture' {
        $culture = [cultureinfo]::CurrentCulture
        try {
            [cultureinfo]::CurrentCulture = 'de-DE'
            $null = New-SeedreamImage -Prompt 'leaves' -AdditionalBody @{
                when = [datetime]::new(2026, 1, 2, 3, 4, 5, [DateTimeKind]::Utc); big = 1e30; ratio = 0.25 } -ErrorAction Stop
        }
        finally { [cultureinfo]::CurrentCulture = $culture }
        $body = (Get-FakeRequest $Fake -Target generate).body
        # ConvertFrom-Json turns an ISO 8601 string (and only that) into a DateTime; a culture-formatted date would stay a string.
        $body.when | Should -BeOfType [datetime]
        $body.when.ToUniversalTime() | Should -Be ([datetime]::new(2026, 1, 2, 3, 4, 5, [DateTimeKind]::Utc))
        $body.big | Should -Be 1e30
        $body.ratio | Should -Be 0.25
    }

    It 'refuses a download redirected to file:// and leaves no file' {
        $image = New-SeedreamImage -Prompt 'redirected'
        Add-FakeFault $Fake @{ target = 'download'; redirectTo = 'file:///etc/passwd' }
        $folder = Join-Path $TestDrive 'redirected'
        $failure = Get-Refusal { $image | Save-SeedreamResult -Path $folder -ErrorAction Stop }
        $failure.FullyQualifiedErrorId | Should -BeLike 'Seedream.UnsupportedUrl,*'
        $failure.Exception.Message | Should -Match "'file' URL"
        @(Get-ChildItem $folder -Force -ErrorAction SilentlyContinue) | Should -HaveCount 0
    }

    It 'loads none of the Windows PowerShell-only networking code when it is imported' {
        # A fresh pwsh: the Desktop-only set-up (ServicePointManager, in System.Net.Requests on PowerShell 7) is never compiled.
        $pwsh = [Environment]::ProcessPath
        $arguments = @(if ((Split-Path $pwsh -Leaf) -like 'dotnet*') { Join-Path $PSHOME 'pwsh.dll' })
        $module = (Get-Module Seedream).Path | Split-Path
        $script = "Import-Module '$module'; [AppDomain]::CurrentDomain.GetAssemblies().GetName().Name -contains 'System.Net.Requests'"
        $loaded = & $pwsh @arguments -NoProfile -NonInteractive -Command $script
        $LASTEXITCODE | Should -Be 0
        $loaded | Should -Be 'False'
    }
}
