# Issue 5: a table of faults. Each row asserts the outcome (ErrorId or success), the attempts the fake API saw,
# and that no partial file is left behind.
Describe 'Reliability' {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'TestSetup.ps1')
        . (Join-Path $PSScriptRoot 'ReliabilityHelpers.ps1')

        function Get-Leftover([string] $Folder) {
            if (Test-Path $Folder) { @(Get-ChildItem $Folder -Force -Recurse | Where-Object Name -Like '*.partial') } else { @() }
        }
    }
    AfterAll { . (Join-Path $PSScriptRoot 'TestTeardown.ps1') }
    BeforeEach { Reset-FakeSeedreamApi $Fake }

    Describe 'Faults on the generation request' {
        It '<Name>: <Outcome> after <Attempts> attempt(s)' -TestCases @(
            @{ Name = '429 with Retry-After, then success'; Rules = @(@{ status = 429; retryAfter = '0' }); Arguments = @{}; Outcome = 'success'; Attempts = 2 }
            @{ Name = '503 twice, then success (backoff)'; Rules = @(@{ status = 503; times = 2 }); Arguments = @{}; Outcome = 'success'; Attempts = 3 }
            @{ Name = '429 with retry-after-ms, then success'; Rules = @(@{ status = 429; retryAfterMs = 20 }); Arguments = @{}; Outcome = 'success'; Attempts = 2 }
            @{ Name = '408, then success'; Rules = @(@{ status = 408; retryAfterMs = 1 }); Arguments = @{}; Outcome = 'success'; Attempts = 2 }
            @{ Name = 'dropped after the request was sent: not repeated (may be billed)'; Rules = @(@{ drop = $true }); Arguments = @{}; Outcome = 'Seedream.ResponseBroken'; Attempts = 1 }
            @{ Name = '429 every time'; Rules = @(@{ status = 429; retryAfterMs = 1; times = 3 }); Arguments = @{}; Outcome = 'Seedream.RateLimited'; Attempts = 3 }
            @{ Name = '-MaxRetryCount 0 turns retries off'; Rules = @(@{ status = 503 }); Arguments = @{ MaxRetryCount = 0 }; Outcome = 'Seedream.ServerError'; Attempts = 1 }
            @{ Name = '400 not retried'; Rules = @(@{ status = 400; message = 'size is wrong' }); Arguments = @{}; Outcome = 'Seedream.InvalidParameter'; Attempts = 1 }
            @{ Name = '400 sensitive content not retried'; Rules = @(@{ status = 400; code = 'InputTextSensitiveContentDetected' }); Arguments = @{}; Outcome = 'Seedream.ContentFiltered'; Attempts = 1 }
            @{ Name = '401 not retried'; Rules = @(@{ status = 401 }); Arguments = @{}; Outcome = 'Seedream.Authentication'; Attempts = 1 }
            @{ Name = '403 not retried'; Rules = @(@{ status = 403 }); Arguments = @{}; Outcome = 'Seedream.AccessDenied'; Attempts = 1 }
            @{ Name = '404 not retried'; Rules = @(@{ status = 404 }); Arguments = @{}; Outcome = 'Seedream.ModelNotFound'; Attempts = 1 }
            @{ Name = '429 QuotaExceeded not retried'; Rules = @(@{ status = 429; code = 'QuotaExceeded'; retryAfterMs = 1 }); Arguments = @{}; Outcome = 'Seedream.QuotaExceeded'; Attempts = 1 }
            @{ Name = 'stalled answer past -StreamIdleTimeoutSec'; Rules = @(@{ stallAfterBytes = 30 }); Arguments = @{ StreamIdleTimeoutSec = 1 }; Outcome = 'Seedream.Timeout'; Attempts = 1 }
            @{ Name = 'retry-after-ms Infinity, then success'; Rules = @(@{ status = 429; retryAfterMsText = 'Infinity' }); Arguments = @{}; Outcome = 'success'; Attempts = 2 }
            @{ Name = '200 with a root error'; Rules = @(@{ body = '{"error":{"code":"InternalServiceError","message":"busy"}}' }); Arguments = @{}; Outcome = 'Seedream.ApiError'; Attempts = 1 }
            @{ Name = '200 with an empty data[]'; Rules = @(@{ body = '{"model":"m","created":1,"data":[]}' }); Arguments = @{}; Outcome = 'Seedream.InvalidResponse'; Attempts = 1 }
            @{ Name = 'truncated body not retried'; Rules = @(@{ truncate = $true }); Arguments = @{}; Outcome = 'Seedream.ResponseBroken'; Attempts = 1 }
            @{ Name = 'malformed JSON not retried'; Rules = @(@{ malformed = $true }); Arguments = @{}; Outcome = 'Seedream.InvalidResponse'; Attempts = 1 }
            @{ Name = 'HTML error page'; Rules = @(@{ html = $true; status = 502 }); Arguments = @{ MaxRetryCount = 0 }; Outcome = 'Seedream.ServerError'; Attempts = 1 }
            @{ Name = 'slow server past -TimeoutSec'; Rules = @(@{ delayMs = 4000 }); Arguments = @{ TimeoutSec = 1 }; Outcome = 'Seedream.Timeout'; Attempts = 1 }
            @{ Name = 'stream cut mid-way'; Rules = @(@{ cutAfterEvents = 1 }); Arguments = @{ Stream = $true; MaxImages = 2 }; Outcome = 'Seedream.StreamIncomplete'; Attempts = 1 }
            @{ Name = 'error event in the stream'; Rules = @(@{ errorEvent = $true }); Arguments = @{ Stream = $true }; Outcome = 'Seedream.StreamError'; Attempts = 1 }
        ) {
            param($Name, $Rules, $Arguments, $Outcome, $Attempts)
            Add-FakeFault $Fake $Rules
            $folder = Join-Path $TestDrive ('gen-' + [guid]::NewGuid().ToString('N'))
            $failure = $null
            try {
                $files = New-SeedreamImage -Prompt $Name @Arguments -ErrorAction Stop -WarningVariable warnings |
                    Save-SeedreamResult -Path $folder -PassThru -ErrorAction Stop
            }
            catch { $failure = $_ }

            @(Get-FakeRequest $Fake -Target generate) | Should -HaveCount $Attempts
            Get-Leftover $folder | Should -BeNullOrEmpty
            $warnings | Should -BeNullOrEmpty
            if ($Outcome -eq 'success') {
                $failure | Should -BeNullOrEmpty
                @($files) | Should -HaveCount ([Math]::Max(1, $Arguments.MaxImages))
            }
            else {
                $failure | Should -Not -BeNullOrEmpty
                $failure.FullyQualifiedErrorId | Should -BeLike "$Outcome,*"
                $failure.Exception | Should -BeOfType [Seedream.Api.SeedreamException]
                $failure.Exception.Attempts | Should -Be $Attempts
                $failure.TargetObject | Should -Be $Name
                $failure.Exception.Message | Should -Not -Match '<html|<body'
                $failure.Exception.Message.Length | Should -BeLessThan 400
                if (-not $Arguments.Stream) { @(Get-ChildItem $folder -ErrorAction SilentlyContinue) | Should -HaveCount 0 }
            }
        }

        It 'tells each retry in -Verbose with status, code and wait; the final error has code, message, request id and attempts' {
            Add-FakeFault $Fake @{ status = 429; retryAfterMs = 10; times = 3 }
            $all = New-SeedreamImage -Prompt 'busy' -Verbose -ErrorVariable failures -ErrorAction SilentlyContinue *>&1
            $verbose = @($all | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message
            $retries = @($verbose | Where-Object { $_ -match 'retrying' })
            $retries | Should -HaveCount 2
            $retries[0] | Should -Match 'attempt 1 of 3 failed \(HTTP 429 RateLimitExceeded\.EndpointRPMExceeded\); retrying in 0\.01 s'
            @($all | Where-Object { $_ -is [System.Management.Automation.WarningRecord] }) | Should -HaveCount 0
            $requests = @(Get-FakeRequest $Fake -Target generate)
            $exception = $failures[0].Exception
            $exception | Should -BeOfType [Seedream.Api.SeedreamApiException]
            $exception.StatusCode | Should -Be 429
            $exception.ErrorCode | Should -Be 'RateLimitExceeded.EndpointRPMExceeded'
            $exception.Attempts | Should -Be 3
            $exception.RequestId | Should -Be $requests[-1].id
            $exception.Message | Should -Match 'RateLimitExceeded\.EndpointRPMExceeded'
            $exception.Message | Should -Match 'exceeded the RPM limit'
            $exception.Message | Should -Match ([regex]::Escape($requests[-1].id))
            $exception.Message | Should -Match '3 attempts'
            $failures[0].CategoryInfo.Category | Should -Be 'LimitsExceeded'
        }

        It 'says a truncated answer may already be billed' {
            Add-FakeFault $Fake @{ truncate = $true }
            $failure = { New-SeedreamImage -Prompt 'cut' -ErrorAction Stop } | Should -Throw -PassThru
            $failure.Exception.Message | Should -Match 'may already be billed'
            $failure.Exception.MayHaveBeenBilled | Should -BeTrue
        }

        It 'gives an HTML error page as a short readable line with its title' {
            Add-FakeFault $Fake @{ html = $true; status = 502 }
            $failure = { New-SeedreamImage -Prompt 'proxy' -MaxRetryCount 0 -ErrorAction Stop } | Should -Throw -PassThru
            $failure.Exception.Message | Should -Match "HTTP 502 .*HTML page titled '502 Bad Gateway'"
            $failure.Exception.Message | Should -Not -Match 'nginx|<'
        }

        It 'lets users catch the typed exceptions' {
            Add-FakeFault $Fake @{ status = 401 }
            $caught = try { New-SeedreamImage -Prompt 'x' -ErrorAction Stop; 'none' } catch [Seedream.Api.SeedreamApiException] { 'api' } catch { 'other' }
            $caught | Should -Be 'api'
        }

        It 'stops a batch at a quota error (<Code>) rather than sending every prompt' -TestCases @(
            @{ Code = 'QuotaExceeded' }
            @{ Code = 'SetLimitExceeded' }
        ) {
            param($Code)
            Add-FakeFault $Fake @{ status = 429; code = $Code; times = 5 }
            { 'a', 'b', 'c' | New-SeedreamImage -ErrorAction SilentlyContinue } | Should -Throw -ErrorId 'Seedream.QuotaExceeded*'
            @(Get-FakeRequest $Fake -Target generate) | Should -HaveCount 1
        }

        It 'stops a batch at 401 rather than sending every prompt with a bad key' {
            Add-FakeFault $Fake @{ status = 401; times = 5 }
            { 'a', 'b', 'c' | New-SeedreamImage -ErrorAction SilentlyContinue } | Should -Throw -ErrorId 'Seedream.Authentication*'
            @(Get-FakeRequest $Fake -Target generate) | Should -HaveCount 1
        }
    }

    Describe 'Faults on the download and the file system' {
        BeforeEach { $script:image = New-SeedreamImage -Prompt 'to save'; Reset-FakeSeedreamApi $Fake }

        It 'download <Name>: <Outcome> after <Attempts> attempt(s)' -TestCases @(
            @{ Name = '503 then success'; Rules = @(@{ target = 'download'; status = 503; retryAfterMs = 1 }); Arguments = @{}; Outcome = 'success'; Attempts = 2 }
            @{ Name = 'dropped, then success'; Rules = @(@{ target = 'download'; drop = $true }); Arguments = @{}; Outcome = 'success'; Attempts = 2 }
            @{ Name = 'truncated, then success'; Rules = @(@{ target = 'download'; truncate = $true }); Arguments = @{}; Outcome = 'success'; Attempts = 2 }
            @{ Name = '404 (expired link)'; Rules = @(@{ target = 'download'; status = 404 }); Arguments = @{}; Outcome = 'Seedream.UrlExpired'; Attempts = 1 }
            @{ Name = 'not an image'; Rules = @(@{ target = 'download'; malformed = $true }); Arguments = @{}; Outcome = 'Seedream.InvalidImage'; Attempts = 1 }
            @{ Name = 'over -MaxDownloadBytes'; Rules = @(); Arguments = @{ MaxDownloadBytes = 100 }; Outcome = 'Seedream.DownloadTooLarge'; Attempts = 1 }
            @{ Name = 'slow past -TimeoutSec'; Rules = @(@{ target = 'download'; delayMs = 4000 }); Arguments = @{ TimeoutSec = 1 }; Outcome = 'Seedream.Timeout'; Attempts = 1 }
        ) {
            param($Name, $Rules, $Arguments, $Outcome, $Attempts)
            if ($Rules) { Add-FakeFault $Fake $Rules }
            $folder = Join-Path $TestDrive ('dl-' + [guid]::NewGuid().ToString('N'))
            $failure = $null
            try { $files = $script:image | Save-SeedreamResult -Path $folder -PassThru @Arguments -ErrorAction Stop }
            catch { $failure = $_ }

            @(Get-FakeRequest $Fake -Target download) | Should -HaveCount $Attempts
            Get-Leftover $folder | Should -BeNullOrEmpty
            if ($Outcome -eq 'success') {
                $failure | Should -BeNullOrEmpty
                $files | Should -HaveCount 1
                [IO.File]::ReadAllBytes($files.FullName)[0..2] | Should -Be @(0xFF, 0xD8, 0xFF)
            }
            else {
                $failure.FullyQualifiedErrorId | Should -BeLike "$Outcome,*"
                $failure.TargetObject | Should -Be $script:image
                @(Get-ChildItem $folder -Force -ErrorAction SilentlyContinue) | Should -HaveCount 0
            }
        }

        It 'a 404 download tells that hosted URLs expire after 24 hours' {
            Add-FakeFault $Fake @{ target = 'download'; status = 404 }
            $failure = { $script:image | Save-SeedreamResult -Path (Join-Path $TestDrive 'expired') -ErrorAction Stop } | Should -Throw -PassThru
            $failure.Exception.Message | Should -Match '24 hours'
            $failure.Exception.Message | Should -Not -Match 'X-Tos-Signature'
        }

        It 'a folder that cannot be created: Seedream.WriteFailed, nothing downloaded' {
            $file = Join-Path $TestDrive 'plain.txt'
            Set-Content $file 'x'
            $failure = { $script:image | Save-SeedreamResult -Path (Join-Path $file 'sub') -ErrorAction Stop } | Should -Throw -PassThru
            $failure.FullyQualifiedErrorId | Should -BeLike 'Seedream.WriteFailed,*'
            $failure.CategoryInfo.Category | Should -Be 'WriteError'
            @(Get-FakeRequest $Fake -Target download) | Should -HaveCount 0
        }

        It 'a -Path that is a file: Seedream.InvalidParameter, nothing downloaded' {
            $file = Join-Path $TestDrive 'taken.txt'
            Set-Content $file 'x'
            { $script:image | Save-SeedreamResult -Path $file } | Should -Throw -ErrorId 'Seedream.InvalidParameter*'
            @(Get-FakeRequest $Fake -Target download) | Should -HaveCount 0
            Get-Content $file | Should -Be 'x'
        }

        It 'stopping (Ctrl+C) mid-download leaves neither a partial nor a final file' {
            Add-FakeFault $Fake @{ target = 'download'; delayMs = 15000 }
            $folder = Join-Path $TestDrive 'stopped'
            $ps = New-ChildPowerShell -Script '$args[0] | Save-SeedreamResult -Path $args[1]' -ProgressPreference SilentlyContinue
            $null = $ps.AddArgument($script:image).AddArgument($folder)
            try {
                $async = $ps.BeginInvoke()
                Wait-Until { @(Get-FakeRequest $Fake -Target download).Count -eq 1 }
                Wait-Until { @(Get-ChildItem $folder -Force -ErrorAction SilentlyContinue).Count -gt 0 }
                $ps.Stop()
                { $ps.EndInvoke($async) } | Should -Throw
                $ps.InvocationStateInfo.State | Should -Be 'Stopped'
            }
            finally { $ps.Dispose() }
            @(Get-ChildItem $folder -Force -ErrorAction SilentlyContinue) | Should -HaveCount 0
        }

        It 'stopping mid-request cancels the generation and leaves nothing' {
            Add-FakeFault $Fake @{ delayMs = 15000 }
            $folder = Join-Path $TestDrive 'stopped-gen'
            $ps = New-ChildPowerShell -Script "New-SeedreamImage -Prompt 'stop me' | Save-SeedreamResult -Path '$folder'" -ProgressPreference SilentlyContinue
            try {
                $async = $ps.BeginInvoke()
                Wait-Until { @(Get-FakeRequest $Fake -Target generate).Count -eq 1 }
                $ps.Stop()
                { $ps.EndInvoke($async) } | Should -Throw
            }
            finally { $ps.Dispose() }
            Test-Path $folder | Should -BeFalse
            # The server saw the client go away while it still held the answer (the 15 s delay): the request was
            # abandoned on the wire, not left running. The fake records that as aborted.
            Wait-Until { @(Get-FakeRequest $Fake -Target generate | Where-Object aborted).Count -eq 1 }
            $generation = @(Get-FakeRequest $Fake -Target generate)
            $generation | Should -HaveCount 1
            $generation[0].aborted | Should -BeTrue
            $generation[0].status | Should -Be 0 -Because 'no answer was sent'
        }
    }
}
