# Issue 14, keys, connections and messages: -WhatIf with no key sends nothing, the documented key-variable order is the
# code's, credentials in -BaseUri are never shown, clear errors for bad base URIs, $env:NAME spelling, the request id
# shown once, ConfirmImpact Medium on the paid cmdlets, and a warning for prompts far past the recommended length.
Describe 'Keys, connections and messages' {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'TestSetup.ps1')
        $script:Repo = Resolve-Path (Join-Path $PSScriptRoot '../..')
        $script:ModuleBase = (Get-Module Seedream).ModuleBase

        # A child pwsh, non-interactive, with its output captured (What if lines and prompts go to the host).
        function Invoke-ChildPwsh([string] $Script, [hashtable] $Environment = @{}) {
            $exe = [Environment]::ProcessPath
            $start = [System.Diagnostics.ProcessStartInfo]::new($exe)
            if ((Split-Path $exe -Leaf) -like 'dotnet*') { $start.ArgumentList.Add((Join-Path $PSHOME 'pwsh.dll')) }
            $prelude = "`$ProgressPreference = 'SilentlyContinue'; Import-Module '$ModuleBase'; "
            foreach ($argument in '-NoProfile', '-NonInteractive', '-Command', ($prelude + $Script)) { $start.ArgumentList.Add($argument) }
            $start.RedirectStandardOutput = $true
            $start.RedirectStandardError = $true
            $start.UseShellExecute = $false
            foreach ($name in $Environment.Keys) {
                if ($null -eq $Environment[$name]) { $null = $start.Environment.Remove($name) } else { $start.Environment[$name] = $Environment[$name] }
            }
            $process = [System.Diagnostics.Process]::Start($start)
            $errorRead = $process.StandardError.ReadToEndAsync()
            $output = $process.StandardOutput.ReadToEnd()
            $process.WaitForExit()
            $output + $errorRead.Result
        }
        $script:NoKey = @{ SEEDREAM_API_KEY = $null; ARK_API_KEY = $null }
        # What a record shows of itself (an error's position line quotes the caller's own script, so it is left out).
        function Get-Text($Record) {
            if ($Record -is [System.Management.Automation.ErrorRecord]) {
                $Record.Exception.Message + "`n" + "$($Record.TargetObject)" + "`n" + "$($Record.ErrorDetails)" + "`n" + ($Record.CategoryInfo | Out-String)
            }
            else { $Record | Out-String -Width 400 }
        }
    }
    AfterAll { . (Join-Path $PSScriptRoot 'TestTeardown.ps1') }
    BeforeEach {
        Reset-FakeSeedreamApi $Fake
        Disconnect-Seedream
        $env:SEEDREAM_BASE_URI = $Fake.ApiV1
        $env:SEEDREAM_API_KEY = $Fake.ApiKey
        Remove-Item Env:ARK_API_KEY -ErrorAction SilentlyContinue
    }

    Context '-WhatIf needs no key' {
        It '<Command> -WhatIf with no key anywhere states the cost, raises no error and sends nothing' -ForEach @(
            @{ Command = 'New-SeedreamImage'; Script = "New-SeedreamImage -Prompt 'what would it cost' -Model 4.5 -MaxImages 3 -WhatIf" }
            @{ Command = 'Edit-SeedreamImage'; Script = "Edit-SeedreamImage -Prompt 'edit' -Image 'https://img.example/a.png' -WhatIf" }
        ) {
            $text = Invoke-ChildPwsh -Script "$Script; 'ERRORS=' + `$Error.Count" -Environment $NoKey
            $text | Should -Match 'What if: Performing the operation ".* estimated cost up to \$'
            $text | Should -Match 'ERRORS=0'
            $text | Should -Not -Match 'NoApiKey|No API key'
            @(Get-FakeRequest $Fake) | Should -HaveCount 0
        }

        It 'without -WhatIf, no key still stops before any request' {
            $text = Invoke-ChildPwsh -Script "try { New-SeedreamImage -Prompt p -ErrorAction Stop } catch { `$_.FullyQualifiedErrorId }" -Environment $NoKey
            $text | Should -Match 'Seedream\.NoApiKey'
            @(Get-FakeRequest $Fake) | Should -HaveCount 0
        }
    }

    Context 'The key variables: the documented order is the order the code reads them' {
        It 'README, about_Seedream and the -ApiKey help give <Provider> the order <Order>, and the request uses the first one set' -ForEach @(
            @{ Provider = 'APIYI'; Order = @('SEEDREAM_API_KEY'); BaseUri = 'ApiV1' }
            @{ Provider = 'BytePlus'; Order = @('ARK_API_KEY', 'SEEDREAM_API_KEY'); BaseUri = 'ApiV3' }
            @{ Provider = 'Volcengine'; Order = @('ARK_API_KEY', 'SEEDREAM_API_KEY'); BaseUri = 'ApiVolcengine' }
        ) {
            # The README table's row for the provider lists the variables in the order they are read.
            $row = Get-Content (Join-Path $Repo 'README.md') | Where-Object { $_ -match "^\|\s*$Provider\b" }
            $row | Should -HaveCount 1
            $documented = @([regex]::Matches(($row -split '\|')[3], '`(\w+)`') | ForEach-Object { $_.Groups[1].Value })
            $documented | Should -Be $Order
            $about = (Get-Help about_Seedream | Out-String) -replace '\s+', ' '
            $about | Should -Match 'on BytePlus and Volcengine \$env:ARK_API_KEY first, then \$env:SEEDREAM_API_KEY'
            ((Get-Help New-SeedreamImage -Parameter ApiKey).Description.Text -join ' ') | Should -Match 'on BytePlus and Volcengine \$env:ARK_API_KEY first, then \$env:SEEDREAM_API_KEY'

            # The code: with every variable set, the first documented one wins and is the one sent.
            $env:SEEDREAM_API_KEY = 'wrong-seedream-key'
            $env:ARK_API_KEY = 'wrong-ark-key'
            Set-Item "Env:$($Order[0])" $Fake.ApiKey
            $connection = Get-SeedreamConnection -Provider $Provider
            $connection.ApiKeySource | Should -Be "Environment:$($Order[0])"
            $null = New-SeedreamImage -Prompt p -Provider $Provider -BaseUri $Fake.$BaseUri
            @(Get-FakeRequest $Fake -Target generate)[-1].authorization | Should -Be 'ok'
            if ($Order.Count -gt 1) {
                Remove-Item "Env:$($Order[0])"
                Set-Item "Env:$($Order[1])" $Fake.ApiKey
                (Get-SeedreamConnection -Provider $Provider).ApiKeySource | Should -Be "Environment:$($Order[1])"
            }
        }

        It 'names the variables as PowerShell writes them, in the order they are read: <Where>' -ForEach @(
            @{ Where = 'the no-key error'; Call = { Remove-Item Env:SEEDREAM_API_KEY; (Get-Refusal { New-SeedreamImage -Prompt p -Provider BytePlus -BaseUri $Fake.ApiV3 }).Exception.Message }; Says = 'or set \$env:ARK_API_KEY or \$env:SEEDREAM_API_KEY\. Nothing prompts' }
            @{ Where = 'the Connect-Seedream warning'; Call = { Remove-Item Env:SEEDREAM_API_KEY; Connect-Seedream -Provider Volcengine -WarningVariable w -WarningAction SilentlyContinue; "$w" }; Says = 'set \$env:ARK_API_KEY or \$env:SEEDREAM_API_KEY before generating' }
            @{ Where = 'a malformed key'; Call = { $env:SEEDREAM_API_KEY = "two words"; (Get-Refusal { New-SeedreamImage -Prompt p }).Exception.Message }; Says = 'the API key \(from \$env:SEEDREAM_API_KEY\) is empty or holds a character' }
            @{ Where = 'a malformed SEEDREAM_BASE_URI'; Call = { $env:SEEDREAM_BASE_URI = 'not a uri'; (Get-Refusal { New-SeedreamImage -Prompt p }).Exception.Message }; Says = '^Parameter -BaseUri: \$env:SEEDREAM_BASE_URI does not hold an absolute URI' }
            @{ Where = 'a plain-http SEEDREAM_BASE_URI'; Call = { $env:SEEDREAM_BASE_URI = 'http://example.com/v1'; (Get-Refusal { New-SeedreamImage -Prompt p }).Exception.Message }; Says = "\(from \`$env:SEEDREAM_BASE_URI\) is plain http to another machine" }
        ) {
            $text = & $Call
            $text | Should -Match $Says
            $text | Should -Not -Match '(?<!env:)\$(SEEDREAM|ARK)_'
            @(Get-FakeRequest $Fake) | Should -HaveCount 0
        }
    }

    Context '-BaseUri' {
        It 'never shows a user name or password inside it (<Where>), and sends nothing' -ForEach @(
            @{ Where = 'New-SeedreamImage -BaseUri'; Call = { New-SeedreamImage -Prompt p -BaseUri "https://alice:s3cret-pass@api.example.com/v1" -Verbose } }
            @{ Where = 'loopback http'; Call = { New-SeedreamImage -Prompt p -BaseUri ($Fake.ApiV1 -replace '^http://', 'http://alice:s3cret-pass@') -Verbose } }
            @{ Where = 'Get-SeedreamConnection'; Call = { Get-SeedreamConnection -BaseUri "https://alice:s3cret-pass@api.example.com/v1" } }
            @{ Where = 'Connect-Seedream'; Call = { Connect-Seedream -BaseUri "https://alice:s3cret-pass@api.example.com/v1" -PassThru -Verbose } }
            @{ Where = '$env:SEEDREAM_BASE_URI'; Call = { $env:SEEDREAM_BASE_URI = "https://alice:s3cret-pass@api.example.com/v1"; New-SeedreamImage -Prompt p -Verbose } }
        ) {
            $records = [System.Collections.Generic.List[object]]::new()
            try { & $Call 4>&1 3>&1 | ForEach-Object { $records.Add($_) } } catch { $records.Add($_) }
            $failure = $records | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] } | Select-Object -First 1
            $failure | Should -Not -BeNullOrEmpty
            $failure.Exception.Message | Should -Match "^Parameter -BaseUri: 'https?://[^']*' .*holds a user name or password before the host; remove them"
            $text = ($records | ForEach-Object { Get-Text $_ }) -join "`n"
            $text | Should -Not -Match 's3cret-pass'
            $text | Should -Not -Match 'alice'
            $env:SEEDREAM_BASE_URI = $Fake.ApiV1
            (Get-SeedreamConnection | Out-String) | Should -Not -Match 'alice' -Because 'nothing was stored'
            @(Get-FakeRequest $Fake) | Should -HaveCount 0
        }

        It 'refuses <Case> with a clear message, before any request' -ForEach @(
            @{ Case = 'a relative -BaseUri'; Uri = 'v1'; Says = "^Parameter -BaseUri: 'v1' is not an absolute URI; give the whole address" }
            @{ Case = 'an ftp:// -BaseUri to loopback'; Uri = 'ftp://127.0.0.1/v1'; Says = "^Parameter -BaseUri: 'ftp://127\.0\.0\.1/v1' uses ftp:, which the API does not speak; give an https:// address" }
        ) {
            $refusal = Get-Refusal { New-SeedreamImage -Prompt p -BaseUri $Uri }
            $refusal.Exception | Should -Not -BeOfType [System.InvalidOperationException]
            $refusal.FullyQualifiedErrorId | Should -BeLike 'Seedream.InvalidParameter,*'
            $refusal.Exception.Message | Should -Match $Says
            $refusal.Exception.Message | Should -Not -Match 'loopback'
            @(Get-FakeRequest $Fake) | Should -HaveCount 0
        }
    }

    Context 'API errors show their request id once' {
        It '<Case>' -ForEach @(
            @{ Case = 'an HTTP error (the id in the message and the x-request-id header)'; Fault = @{ status = 400; code = 'InvalidParameter' }; Stream = $false }
            @{ Case = 'a stream error event'; Fault = @{ errorEvent = $true }; Stream = $true }
            @{ Case = 'a failed slot of an answer'; Fault = @{ errorSlots = @(0) }; Stream = $false }
        ) {
            Add-FakeFault $Fake $Fault
            $arguments = @{ Prompt = 'id once'; MaxImages = 2; MaxRetryCount = 0; ErrorVariable = 'failures'; ErrorAction = 'SilentlyContinue' }
            if ($Stream) { $arguments.Stream = $true }
            try { $null = New-SeedreamImage @arguments } catch { $failures = @($_) }
            $failures | Should -Not -BeNullOrEmpty
            $id = @(Get-FakeRequest $Fake -Target generate)[0].id
            $id | Should -Match '^req-'
            $message = $failures[0].Exception.Message
            [regex]::Matches($message, [regex]::Escape($id)).Count | Should -Be 1 -Because "the message is: $message"
        }
    }

    Context 'Confirmation and long prompts' {
        It '<Command> has ConfirmImpact Medium, so $ConfirmPreference = ''Medium'' asks before the paid request' -ForEach @(
            @{ Command = 'New-SeedreamImage'; Call = "New-SeedreamImage -Prompt 'ask first'" }
            @{ Command = 'Edit-SeedreamImage'; Call = "Edit-SeedreamImage -Prompt 'ask first' -Image 'https://img.example/a.png'" }
        ) {
            $attribute = (Get-Command $Command).ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0]
            $attribute.ConfirmImpact | Should -Be 'Medium'
            # Non-interactive, the confirmation cannot be answered: it fails instead of sending.
            $asked = Invoke-ChildPwsh -Script "`$ConfirmPreference = 'Medium'; try { $Call -ErrorAction Stop; 'SENT' } catch { 'ASKED: ' + `$_.Exception.Message }"
            $asked | Should -Match 'ASKED: .*(NonInteractive|prompt)'
            @(Get-FakeRequest $Fake -Target generate) | Should -HaveCount 0
            $sent = Invoke-ChildPwsh -Script "`$ConfirmPreference = 'High'; $Call | Out-Null; 'SENT'"
            $sent | Should -Match 'SENT'
            @(Get-FakeRequest $Fake -Target generate) | Should -HaveCount 1
        }

        It 'Save-SeedreamResult (free) keeps ConfirmImpact Low' {
            (Get-Command Save-SeedreamResult).ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0].ConfirmImpact | Should -Be 'Low'
        }

        It 'warns once for prompts far past the recommended length and still sends them' {
            $long = (1..900 | ForEach-Object { "word$_" }) -join ' '
            $images = $long, $long, 'short' | New-SeedreamImage -WarningVariable warnings -WarningAction SilentlyContinue
            $images | Should -HaveCount 3
            @($warnings) | Should -HaveCount 1
            "$($warnings[0])" | Should -Match 'The prompt has 900 words, far past the about 600 the API recommends'
            (@(Get-FakeRequest $Fake -Target generate)[0].body.prompt) | Should -Be $long
        }

        It 'does not warn for a prompt near the recommended length, and counts CJK characters as words' {
            $near = (1..650 | ForEach-Object { "word$_" }) -join ' '
            $null = New-SeedreamImage -Prompt $near -WarningVariable near -WarningAction SilentlyContinue
            $near | Should -BeNullOrEmpty
            $cjk = [string]::new([char]0x732B, 850)
            $null = Edit-SeedreamImage -Prompt $cjk -Image 'https://img.example/a.png' -WarningVariable cjkWarnings -WarningAction SilentlyContinue
            "$cjkWarnings" | Should -Match 'has 850 words'
        }
    }
}
