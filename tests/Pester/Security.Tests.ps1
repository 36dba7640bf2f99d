# Issue 5, safety: no key in clear text or in any output, proxies really used, downloads only over http(s),
# file names that cannot leave the folder.
Describe 'Security' {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'TestSetup.ps1')
        . (Join-Path $PSScriptRoot 'ReliabilityHelpers.ps1')
        # A key that cannot turn up by chance, so finding it anywhere is a leak.
        Stop-FakeSeedreamApi $script:Fake
        $script:Fake = Start-FakeSeedreamApi -Path $fakeApiPath -ApiKey ('sk-leakcheck-' + [guid]::NewGuid().ToString('N'))
        $env:SEEDREAM_BASE_URI = $script:Fake.ApiV1
        $env:SEEDREAM_API_KEY = $script:Fake.ApiKey
        $script:FakePort = ([Uri]$script:Fake.Root).Port

        if (-not ('Seedream.TestProxy.ForwardingProxy' -as [type])) {
            Add-Type -Path (Join-Path $PSScriptRoot 'ForwardingProxy.cs') -IgnoreWarnings
        }

        # A result whose URL names a host that does not resolve: only a proxy that forwards to the fake can serve it.
        function New-UnresolvableImage {
            $image = New-SeedreamImage -Prompt 'through a proxy'
            $image.Url = $image.Url -replace '^http://127\.0\.0\.1:\d+/', 'http://images.seedream-test.invalid/'
            $image
        }
    }
    AfterAll { . (Join-Path $PSScriptRoot 'TestTeardown.ps1') }
    BeforeEach { Reset-FakeSeedreamApi $Fake }

    Describe 'Plain http' {
        It 'refuses a plain-http base URI that is not loopback, before any request: <Uri>' -TestCases @(
            @{ Uri = 'http://example.com/v1' }
            @{ Uri = 'http://10.0.0.8:8080/api/v3' }
        ) {
            param($Uri)
            $failure = { New-SeedreamImage -Prompt 'x' -BaseUri $Uri } | Should -Throw -ErrorId 'Seedream.InsecureBaseUri*' -PassThru
            $failure.CategoryInfo.Category | Should -Be 'SecurityError'
            $failure.Exception.Message | Should -Match 'BaseUri'
            @(Get-FakeRequest $Fake) | Should -HaveCount 0
        }

        It 'refuses it from the environment too' {
            $saved = $env:SEEDREAM_BASE_URI
            try {
                $env:SEEDREAM_BASE_URI = 'http://example.com/v1'
                { New-SeedreamImage -Prompt 'x' } | Should -Throw -ErrorId 'Seedream.InsecureBaseUri*'
            }
            finally { $env:SEEDREAM_BASE_URI = $saved }
            @(Get-FakeRequest $Fake) | Should -HaveCount 0
        }

        It 'allows plain http to loopback' {
            New-SeedreamImage -Prompt 'local' -BaseUri $Fake.ApiV1 | Should -HaveCount 1
        }
    }

    Describe 'Proxies' {
        BeforeAll {
            # Saves an image in a child pwsh whose proxy variables are exactly $Proxy (every other one removed, in both
            # cases): what the environment proxy does is never taken from the machine running the tests, and .NET reads
            # those variables once a process, so only a fresh process sees the ones set here.
            function Invoke-ChildSave($Image, [string] $Folder, [hashtable] $Proxy = @{}) {
                $script = "Import-Module '$SeedreamManifest'; `$ProgressPreference = 'SilentlyContinue'; " +
                    "`$image = [Seedream.SeedreamImage]@{ Url = '$($Image.Url)'; Created = [DateTimeOffset]::UtcNow; ExpiresAt = [DateTimeOffset]::UtcNow.AddHours(1) }; " +
                    "try { `$image | Save-SeedreamResult -Path '$Folder' -MaxRetryCount 0 -ErrorAction Stop } catch { [Console]::Error.WriteLine(`$_.FullyQualifiedErrorId); exit 1 }"
                $pwsh = (Get-Process -Id $PID).Path
                $start = [System.Diagnostics.ProcessStartInfo]::new($pwsh)
                foreach ($argument in '-NoProfile', '-NonInteractive', '-Command', $script) { $start.ArgumentList.Add($argument) }
                if ($pwsh -match 'dotnet(\.exe)?$') { $start.ArgumentList.Insert(0, 'pwsh') }
                foreach ($name in 'HTTP_PROXY', 'HTTPS_PROXY', 'ALL_PROXY', 'NO_PROXY') {
                    $null = $start.Environment.Remove($name)
                    $null = $start.Environment.Remove($name.ToLowerInvariant())
                }
                foreach ($name in $Proxy.Keys) { $start.Environment[$name] = $Proxy[$name] }
                $start.RedirectStandardError = $true
                $start.RedirectStandardOutput = $true
                $start.UseShellExecute = $false
                $process = [System.Diagnostics.Process]::Start($start)
                $errors = $process.StandardError.ReadToEndAsync()
                $null = $process.StandardOutput.ReadToEnd()
                $process.WaitForExit()
                [pscustomobject]@{ ExitCode = $process.ExitCode; Errors = $errors.Result.Trim() }
            }
        }

        It '-Proxy carries a download for a host only the proxy can reach' {
            $image = New-UnresolvableImage
            Reset-FakeSeedreamApi $Fake
            $proxy = [Seedream.TestProxy.ForwardingProxy]::new($FakePort, $null, $null)
            try {
                $file = $image | Save-SeedreamResult -Path (Join-Path $TestDrive 'proxied') -Proxy $proxy.Address -PassThru -MaxRetryCount 0
                $seen = $proxy.GetRequests()
            }
            finally { $proxy.Dispose() }
            $file | Should -HaveCount 1
            $seen | Should -HaveCount 1
            $seen[0].Method | Should -Be 'GET'
            $seen[0].Target | Should -BeLike 'http://images.seedream-test.invalid/files/*'
            @(Get-FakeRequest $Fake -Target download) | Should -HaveCount 1
        }

        It 'without -Proxy and without proxy variables the same download fails: the host does not resolve' {
            $image = New-UnresolvableImage
            $run = Invoke-ChildSave $image (Join-Path $TestDrive 'direct')
            $run.ExitCode | Should -Be 1
            $run.Errors | Should -BeLike 'Seedream.ConnectionFailed*'
            @(Get-ChildItem (Join-Path $TestDrive 'direct') -File -Recurse -ErrorAction SilentlyContinue) | Should -HaveCount 0
        }

        It '-ProxyCredential answers the proxy''s 407 with Basic credentials' {
            $image = New-UnresolvableImage
            $proxy = [Seedream.TestProxy.ForwardingProxy]::new($FakePort, 'proxyuser', 'proxy-secret')
            $credential = [pscredential]::new('proxyuser', (ConvertTo-SecureString 'proxy-secret' -AsPlainText -Force))
            try {
                $file = $image | Save-SeedreamResult -Path (Join-Path $TestDrive 'proxied-auth') -Proxy $proxy.Address -ProxyCredential $credential -PassThru -MaxRetryCount 0
                $seen = $proxy.GetRequests()
            }
            finally { $proxy.Dispose() }
            $file | Should -HaveCount 1
            $seen.Status | Should -Be @(407, 200)
            $seen[1].ProxyAuthorization | Should -Be ('Basic ' + [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes('proxyuser:proxy-secret')))
        }

        It 'API calls go through -Proxy as a CONNECT tunnel with the credential; the key never reaches the proxy' {
            $proxy = [Seedream.TestProxy.ForwardingProxy]::new($FakePort, 'proxyuser', 'proxy-secret')
            $credential = [pscredential]::new('proxyuser', (ConvertTo-SecureString 'proxy-secret' -AsPlainText -Force))
            try {
                # The proxy records the tunnel and refuses it (the fake speaks no TLS), so the call fails after routing.
                { New-SeedreamImage -Prompt 'x' -BaseUri 'https://api.seedream-test.invalid/v1' -Proxy $proxy.Address -ProxyCredential $credential -MaxRetryCount 0 -ErrorAction Stop } |
                    Should -Throw -ErrorId 'Seedream.ConnectionFailed*'
                $seen = $proxy.GetRequests()
            }
            finally { $proxy.Dispose() }
            $seen.Method | Should -Be @('CONNECT', 'CONNECT')
            $seen[0].Target | Should -Be 'api.seedream-test.invalid:443'
            $seen.Status | Should -Be @(407, 502)
            $seen[1].ProxyAuthorization | Should -BeLike 'Basic *'
            ($seen | Out-String) | Should -Not -Match ([regex]::Escape($Fake.ApiKey))
            @(Get-FakeRequest $Fake) | Should -HaveCount 0
        }

        It '-ProxyUseDefaultCredentials still routes through -Proxy' {
            $image = New-UnresolvableImage
            $proxy = [Seedream.TestProxy.ForwardingProxy]::new($FakePort, $null, $null)
            try {
                $file = $image | Save-SeedreamResult -Path (Join-Path $TestDrive 'proxied-default') -Proxy $proxy.Address -ProxyUseDefaultCredentials -PassThru -MaxRetryCount 0
                $seen = $proxy.GetRequests()
            }
            finally { $proxy.Dispose() }
            $file | Should -HaveCount 1
            $seen | Should -HaveCount 1
        }

        It 'without -Proxy the environment proxy (HTTP_PROXY) applies' {
            $image = New-UnresolvableImage
            $proxy = [Seedream.TestProxy.ForwardingProxy]::new($FakePort, $null, $null)
            $folder = Join-Path $TestDrive 'env-proxy'
            try {
                $run = Invoke-ChildSave $image $folder @{ HTTP_PROXY = $proxy.Address.ToString() }
                $seen = $proxy.GetRequests()
            }
            finally { $proxy.Dispose() }
            $run.Errors | Should -BeNullOrEmpty
            $run.ExitCode | Should -Be 0
            $seen | Should -HaveCount 1
            $seen[0].Target | Should -BeLike 'http://images.seedream-test.invalid/*'
            @(Get-ChildItem $folder) | Should -HaveCount 1
        }
    }

    Describe 'Downloads and file names' {
        It 'downloads only over http(s): <Url>' -TestCases @(
            @{ Url = 'file:///etc/passwd' }
            @{ Url = 'ftp://example.com/a.jpg' }
            @{ Url = 'not a url' }
            @{ Url = '/etc/passwd' }
        ) {
            param($Url)
            $image = [Seedream.SeedreamImage]@{ Url = $Url; Created = [DateTimeOffset]::UtcNow; ExpiresAt = [DateTimeOffset]::UtcNow.AddHours(1) }
            $folder = Join-Path $TestDrive ('scheme-' + [guid]::NewGuid().ToString('N'))
            $failure = { $image | Save-SeedreamResult -Path $folder -ErrorAction Stop } | Should -Throw -ErrorId 'Seedream.UnsupportedUrl*' -PassThru
            $failure.CategoryInfo.Category | Should -Be 'SecurityError'
            @(Get-ChildItem $folder -Force -ErrorAction SilentlyContinue) | Should -HaveCount 0
        }

        It 'a {prompt} name template cannot leave the folder: <Prompt>' -TestCases @(
            @{ Prompt = '../../evil' }
            @{ Prompt = '..\..\evil' }
            @{ Prompt = '/etc/evil' }
            @{ Prompt = '..' }
        ) {
            param($Prompt)
            $root = Join-Path $TestDrive ('names-' + [guid]::NewGuid().ToString('N'))
            $folder = Join-Path $root 'a/b'
            $file = New-SeedreamImage -Prompt $Prompt -ResponseFormat Base64Json | Save-SeedreamResult -Path $folder -NameTemplate '{prompt}' -PassThru
            $file | Should -HaveCount 1
            $file.DirectoryName | Should -Be (Resolve-Path $folder).Path
            @(Get-ChildItem $root -Recurse -File) | Should -HaveCount 1
            $file.Name | Should -Not -Match '\.\.|[\\/]'
        }

        It 'a name that Windows reserves for a device gets a prefix: <Prompt>' -TestCases @(
            @{ Prompt = 'con'; Name = '_con.png' }
            @{ Prompt = 'NUL'; Name = '_NUL.png' }
            @{ Prompt = 'com1.final'; Name = '_com1.final.png' }
            @{ Prompt = 'console'; Name = 'console.png' }
        ) {
            param($Prompt, $Name)
            $folder = Join-Path $TestDrive ('devices-' + [guid]::NewGuid().ToString('N'))
            $file = New-SeedreamImage -Prompt $Prompt -Model 5.0-lite -OutputFormat Png -ResponseFormat Base64Json |
                Save-SeedreamResult -Path $folder -NameTemplate '{prompt}' -PassThru
            $file.Name | Should -BeExactly $Name
        }

        It 'a template with separators is sanitized as well' {
            $folder = Join-Path $TestDrive 'template'
            $file = New-SeedreamImage -Prompt 'x' -ResponseFormat Base64Json | Save-SeedreamResult -Path $folder -NameTemplate '../{index}/../../x' -PassThru
            $file.DirectoryName | Should -Be (Resolve-Path $folder).Path
        }
    }

    Describe 'Malformed keys' {
        It 'trims white space read along with the key (a newline from a file)' {
            $null = New-SeedreamImage -Prompt 'x' -ApiKey ($Fake.ApiKey + "`r`n")
            (Get-FakeRequest $Fake -Target generate)[0].authorization | Should -Be 'ok'
        }

        It 'refuses a key that cannot go in an HTTP header, before any request and without showing it: <Case>' -TestCases @(
            @{ Case = 'a non-ASCII character'; Key = 'sk-bad' + [char]0x00E9 + 'key-123' }
            @{ Case = 'an inner space'; Key = 'sk-bad key-123' }
        ) {
            param($Case, $Key)
            $refusal = Get-Refusal { New-SeedreamImage -Prompt 'x' -ApiKey $Key }
            $refusal.FullyQualifiedErrorId | Should -BeLike 'Seedream.InvalidParameter*'
            $refusal.Exception.Message | Should -BeLike 'Parameter -ApiKey:*from Parameter*'
            $refusal.Exception.Message | Should -Not -Match 'sk-bad'
            @(Get-FakeRequest $Fake) | Should -HaveCount 0
        }
    }

    Describe 'Error targets' {
        It 'name a refused data URI by its start and length, never the whole payload' {
            $payload = [Convert]::ToBase64String([byte[]]::new(30000))
            $refusal = Get-Refusal { Edit-SeedreamImage -Prompt 'x' -Image "data:image/png;base64,$payload" }
            $refusal.FullyQualifiedErrorId | Should -BeLike 'Seedream.InvalidImage*'
            "$($refusal.TargetObject)".Length | Should -BeLessThan 200
            "$($refusal.TargetObject)" | Should -Match 'data:image/png;base64,'
        }

        It 'name fused references by their descriptions, never their payloads' {
            Add-FakeFault $Fake @{ status = 400; code = 'InvalidParameter' }
            $png = New-TestImageFile -Path (Join-Path $TestDrive 'fuse.png') -PadBytes 20000
            $failure = $null
            $null = $png.FullName, 'https://img.example/b.png' | Edit-SeedreamImage -Prompt 'x' -Fuse -ErrorVariable failure -ErrorAction SilentlyContinue
            $failure | Should -HaveCount 1
            $failure[0].TargetObject | Should -Be @('fuse.png', 'https://img.example/b.png')
        }
    }

    Describe 'The key never appears' {
        It 'in any stream, error, result or serialized result of any cmdlet, with verbose and debug output on' {
            $key = $Fake.ApiKey
            $png = New-TestImageFile -Path (Join-Path $TestDrive 'ref.png') -Width 512 -Height 512 -PadBytes 30000
            $dataUri = 'data:image/png;base64,' + [Convert]::ToBase64String([IO.File]::ReadAllBytes($png.FullName))
            $folder = Join-Path $TestDrive 'leak'
            # -Verbose on every call; debug output through $DebugPreference = 'Continue', which is what -Debug means for
            # scripts since PowerShell 7 (a compiled cmdlet's -Debug flag would stop at an Inquire prompt for every line).
            $common = @{ Verbose = $true }
            $DebugPreference = 'Continue'
            Add-FakeFault $Fake @(
                @{ status = 429; retryAfterMs = 1 }  # one retry on the first generation
            )
            $captured = & {
                Connect-Seedream -ApiKey $key -PassThru @common
                Get-SeedreamConnection @common
                Get-SeedreamModel @common
                $images = @(New-SeedreamImage -Prompt 'leak check' -MaxImages 2 @common)
                $images
                New-SeedreamImage -Prompt 'streamed' -Stream -ResponseFormat Base64Json @common
                New-SeedreamImage -Prompt 'what if' -WhatIf @common
                Edit-SeedreamImage -Prompt 'data uri' -Image $dataUri @common
                Edit-SeedreamImage -Prompt 'file' -Image $png.FullName @common
                $images | Save-SeedreamResult -Path $folder -PassThru @common
                Add-FakeFault $Fake @(@{ status = 400; message = 'bad size' }, @{ target = 'download'; status = 404 }, @{ truncate = $true })
                New-SeedreamImage -Prompt 'rejected' -ErrorAction Continue @common
                $images[0] | Save-SeedreamResult -Path $folder -Force -ErrorAction Continue @common
                New-SeedreamImage -Prompt 'truncated' -ErrorAction Continue @common
                try { New-SeedreamImage -Prompt 'bad key' -ApiKey 'not-the-key' @common } catch { $_ }
                try { New-SeedreamImage -Prompt 'insecure' -BaseUri 'http://example.com/v1' @common } catch { $_ }
                Disconnect-Seedream @common
            } *>&1 5>&1

            $captured.Count | Should -BeGreaterThan 20
            @($captured | Where-Object { $_ -is [System.Management.Automation.DebugRecord] }) | Should -Not -BeNullOrEmpty
            @($captured | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }) | Should -Not -BeNullOrEmpty
            $errors = @($captured | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
            $errors.Count | Should -BeGreaterThan 3

            $text = [System.Text.StringBuilder]::new()
            foreach ($item in $captured) {
                $null = $text.AppendLine(($item | Out-String -Width 500))
                $null = $text.AppendLine(($item | Format-List * -Force | Out-String -Width 500))
                if ($item -is [System.Management.Automation.ErrorRecord]) {
                    $null = $text.AppendLine($item.ToString()).AppendLine($item.Exception.ToString())
                    $null = $text.AppendLine(($item.Exception | Format-List * -Force | Out-String -Width 500))
                    $null = $text.AppendLine(($item.TargetObject | Out-String -Width 500))
                }
                else {
                    $null = $text.AppendLine((ConvertTo-Json -InputObject $item -Depth 4 -WarningAction SilentlyContinue))
                }
            }
            $clixml = Join-Path $TestDrive 'captured.clixml'
            $captured | Where-Object { $_ -isnot [System.Management.Automation.ErrorRecord] } | Export-Clixml -Path $clixml -Depth 4
            $null = $text.AppendLine((Get-Content $clixml -Raw))
            $errorsClixml = Join-Path $TestDrive 'errors.clixml'
            $errors | Export-Clixml -Path $errorsClixml -Depth 3
            $null = $text.AppendLine((Get-Content $errorsClixml -Raw))

            $all = $text.ToString()
            $all | Should -Match 'leak check'  # the capture did see the run
            $all.Contains($key) | Should -BeFalse -Because 'the API key must never be in any output'
            (Get-FakeRequest $Fake -Target generate).authorization | Should -Contain 'ok'
        }

        It 'shortens a data-URI upload in -Debug' {
            $png = New-TestImageFile -Path (Join-Path $TestDrive 'big.png') -Width 512 -Height 512 -PadBytes 60000
            $base64 = [Convert]::ToBase64String([IO.File]::ReadAllBytes($png.FullName))
            $DebugPreference = 'Continue'
            $debug = @(Edit-SeedreamImage -Prompt 'shorten' -Image "data:image/png;base64,$base64" 5>&1 |
                Where-Object { $_ -is [System.Management.Automation.DebugRecord] })
            $text = $debug.Message -join "`n"
            $text | Should -Match 'POST'
            $text | Should -Match 'data:image/png;base64,'
            $text.Length | Should -BeLessThan 4000
            $text | Should -Not -Match ([regex]::Escape($base64.Substring(200, 100)))
            (Get-FakeRequest $Fake -Target generate)[0].body.image[0].Length | Should -Be ("data:image/png;base64,$base64").Length
        }
    }
}
