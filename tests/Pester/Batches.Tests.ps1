# Batches (issue 12): per-item errors, binding by property name, delay-bind script blocks, checkpoints, the cost summary.
# Everything is checked against what the fake API received; faults name the prompt they hit, so nothing depends on arrival order.
Describe 'Batches' {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'TestSetup.ps1')
        function Get-Generation { @(Get-FakeRequest $Fake -Target generate) }
        function Get-SentPrompts { @(Get-Generation | ForEach-Object { $_.body.prompt }) }
        # A child pwsh (this one's own executable), with the module's environment for the fake.
        function New-ChildPwsh([string[]] $Arguments, [switch] $Capture) {
            $exe = [Environment]::ProcessPath
            $start = [System.Diagnostics.ProcessStartInfo]::new($exe)
            if ((Split-Path $exe -Leaf) -like 'dotnet*') { $start.ArgumentList.Add((Join-Path $PSHOME 'pwsh.dll')) }
            foreach ($argument in @('-NoProfile', '-NonInteractive') + $Arguments) { $start.ArgumentList.Add($argument) }
            $start.UseShellExecute = $false
            # Only a child whose output is read redirects it (an unread pipe could fill and hold the child up).
            $start.RedirectStandardOutput = [bool] $Capture
            $start.RedirectStandardError = [bool] $Capture
            $start.Environment['POWERSHELL_TELEMETRY_OPTOUT'] = '1'
            $start.Environment['SEEDREAM_BASE_URI'] = $Fake.ApiV1
            $start.Environment['SEEDREAM_API_KEY'] = $Fake.ApiKey
            $start
        }
        $script:Work = Join-Path $TestDrive 'batches'
        $null = New-Item -ItemType Directory $Work
        $script:Good = New-TestImageFile -Path (Join-Path $Work 'good.png')
        $script:Other = New-TestImageFile -Path (Join-Path $Work 'other.png')
        Set-Content -LiteralPath (Join-Path $Work 'text.png') -Value 'not an image'
        $null = New-Item -ItemType Directory (Join-Path $Work 'folder.png')
    }
    AfterAll { . (Join-Path $PSScriptRoot 'TestTeardown.ps1') }
    BeforeEach { Reset-FakeSeedreamApi $Fake }

    Context 'Per-item failures are per-item' {
        It 'an empty prompt among good ones (-ErrorAction <Action>) costs only that item' -ForEach @(
            @{ Action = 'Continue' }, @{ Action = 'SilentlyContinue' }
        ) {
            $results = 'a fox', '', 'b wolf' | New-SeedreamImage -ErrorAction $Action -ErrorVariable failures 2>$null
            $results.Prompt | Should -Be @('a fox', 'b wolf')
            Get-SentPrompts | Should -Be @('a fox', 'b wolf')
            $failures | Should -HaveCount 1
            $failures[0].FullyQualifiedErrorId | Should -BeLike 'Seedream.InvalidParameter,*'
            "$($failures[0])" | Should -BeLike 'Parameter -Prompt:*'
        }

        It 'under -ErrorAction Stop the item before is written and paid, the one after is never sent' {
            $results = [System.Collections.Generic.List[object]]::new()
            $refusal = Get-Refusal { 'a fox', '', 'b wolf' | New-SeedreamImage -ErrorAction Stop | ForEach-Object { $results.Add($_) } }
            $refusal | Should -Not -BeNullOrEmpty
            "$refusal" | Should -BeLike 'Parameter -Prompt:*'
            $results.Prompt | Should -Be @('a fox')
            Get-SentPrompts | Should -Be @('a fox')
        }

        It 'a folder, a missing file and a non-image among files piped to Edit-SeedreamImage fail alone, in input order (-ErrorAction <Action>, -ThrottleLimit <Throttle>)' -ForEach @(
            @{ Action = 'Continue'; Throttle = 1 }, @{ Action = 'Continue'; Throttle = 4 },
            @{ Action = 'SilentlyContinue'; Throttle = 1 }, @{ Action = 'SilentlyContinue'; Throttle = 4 }
        ) {
            $gone = New-TestImageFile -Path (Join-Path $Work 'gone.png'); Remove-Item $gone.FullName
            $items = @((Get-Item -LiteralPath $Good.FullName), (Get-Item -LiteralPath (Join-Path $Work 'folder.png')), $gone,
                (Get-Item -LiteralPath (Join-Path $Work 'text.png')), (Get-Item -LiteralPath $Other.FullName))
            $out = $items | Edit-SeedreamImage -Prompt { 'restyle ' + $_.BaseName } -ThrottleLimit $Throttle -ErrorVariable failures -ErrorAction $Action 2>&1
            $expected = if ($Action -eq 'Continue') { @('restyle good', 'error', 'error', 'error', 'restyle other') } else { @('restyle good', 'restyle other') }
            ($out | ForEach-Object { if ($_ -is [System.Management.Automation.ErrorRecord]) { 'error' } else { $_.Prompt } }) | Should -Be $expected
            $failures | Should -HaveCount 3
            $failures.FullyQualifiedErrorId | ForEach-Object { $_ | Should -BeLike 'Seedream.InvalidImage,*' }
            "$($failures[0])" | Should -Match 'folder'
            "$($failures[1])" | Should -Match "gone.png' does not exist"
            "$($failures[2])" | Should -Match 'not a supported image format'
            Get-SentPrompts | Sort-Object | Should -Be @('restyle good', 'restyle other')
        }

        It 'the same files under -ErrorAction Stop (-ThrottleLimit <Throttle>): the first file is written, the folder stops the call, nothing after it is sent' -ForEach @(
            @{ Throttle = 1 }, @{ Throttle = 4 }
        ) {
            $items = @((Get-Item -LiteralPath $Good.FullName), (Get-Item -LiteralPath (Join-Path $Work 'folder.png')), (Get-Item -LiteralPath $Other.FullName))
            $results = [System.Collections.Generic.List[object]]::new()
            $refusal = Get-Refusal { $items | Edit-SeedreamImage -Prompt 'restyle' -ThrottleLimit $Throttle -ErrorAction Stop | ForEach-Object { $results.Add($_) } }
            "$refusal" | Should -Match 'folder'
            $results | Should -HaveCount 1
            Get-Generation | Should -HaveCount 1
        }

        It 'a value bound once for the whole call is checked before the first request and stops the call' {
            $refusal = Get-Refusal { 'a', 'b' | New-SeedreamImage -Size bogus -ErrorAction SilentlyContinue }
            "$refusal" | Should -BeLike 'Parameter -Size:*'
            Get-Generation | Should -HaveCount 0
        }

        It 'an answer-level failure that concerns one request (HTTP 400) is that item''s error; the batch goes on' {
            Add-FakeFault $Fake @(@{ status = 400; code = 'InvalidParameter'; prompt = 'two' })
            $results = 'one', 'two', 'three' | New-SeedreamImage -ErrorVariable failures -ErrorAction SilentlyContinue
            $results.Prompt | Should -Be @('one', 'three')
            $failures | Should -HaveCount 1
            Get-Generation | Should -HaveCount 3
        }

        It 'a 401 stops the batch after writing what was already paid for' {
            Add-FakeFault $Fake @(@{ status = 401; code = 'AuthenticationError'; prompt = 'two' })
            $results = [System.Collections.Generic.List[object]]::new()
            $refusal = Get-Refusal { 'one', 'two', 'three' | New-SeedreamImage | ForEach-Object { $results.Add($_) } }
            $refusal.FullyQualifiedErrorId | Should -BeLike 'Seedream.Authentication,*'
            $results.Prompt | Should -Be @('one')
            Get-SentPrompts | Should -Be @('one', 'two')
        }

        It 'a model a row names that the server does not know (404) fails that row alone' {
            $rows = [pscustomobject]@{ Prompt = 'one' }, [pscustomobject]@{ Prompt = 'two'; Model = 'seedream-9-9-999999' }, [pscustomobject]@{ Prompt = 'three' }
            $results = $rows | New-SeedreamImage -ErrorVariable failures -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
            $results.Prompt | Should -Be @('one', 'three')
            $failures | Should -HaveCount 1
            $failures[0].FullyQualifiedErrorId | Should -BeLike 'Seedream.ModelNotFound,*'
        }

        It 'at -ThrottleLimit 4, output and errors keep input order (-ErrorAction <Action>)' -ForEach @(
            @{ Action = 'Continue' }, @{ Action = 'SilentlyContinue' }
        ) {
            Add-FakeFault $Fake @(@{ status = 400; code = 'InvalidParameter'; prompt = 'p3' }, @{ delayMs = 300; prompt = 'p1' })
            $prompts = 'p1', 'p2', 'p3', '', 'p5', 'p6'
            $out = $prompts | New-SeedreamImage -ThrottleLimit 4 -ErrorAction $Action -ErrorVariable failures 2>&1
            $expected = if ($Action -eq 'Continue') { @('p1', 'p2', 'error', 'error', 'p5', 'p6') } else { @('p1', 'p2', 'p5', 'p6') }
            ($out | ForEach-Object { if ($_ -is [System.Management.Automation.ErrorRecord]) { 'error' } else { $_.Prompt } }) | Should -Be $expected
            $failures | Should -HaveCount 2
            $failures[0].FullyQualifiedErrorId | Should -BeLike 'Seedream.InvalidParameter,*'
            "$($failures[1])" | Should -BeLike 'Parameter -Prompt:*'
            (Get-SentPrompts | Sort-Object) | Should -Be @('p1', 'p2', 'p3', 'p5', 'p6')
        }

        It 'at -ThrottleLimit 4 under -ErrorAction Stop, the requests already sent are written before the error' {
            Add-FakeFault $Fake @(@{ status = 400; code = 'InvalidParameter'; prompt = 'p1' })
            $results = [System.Collections.Generic.List[object]]::new()
            $refusal = Get-Refusal { 'p1', 'p2', 'p3' | New-SeedreamImage -ThrottleLimit 4 -ErrorAction Stop | ForEach-Object { $results.Add($_) } }
            $refusal | Should -Not -BeNullOrEmpty
            $sent = Get-SentPrompts
            # Every request that went out before the stop had its images written.
            ($results.Prompt | Sort-Object) | Should -Be @($sent | Where-Object { $_ -ne 'p1' } | Sort-Object)
        }
    }

    Context 'A paid answer is written whole before its failure' {
        It 'a filtered slot in a sequence under -ErrorAction Stop: the three good images come out first' {
            Add-FakeFault $Fake @(@{ errorSlots = @(1) })
            $results = [System.Collections.Generic.List[object]]::new()
            $refusal = Get-Refusal { New-SeedreamImage -Prompt 'four panels' -MaxImages 4 -ErrorAction Stop | ForEach-Object { $results.Add($_) } }
            $refusal.FullyQualifiedErrorId | Should -BeLike 'Seedream.ContentFiltered,*'
            $results.Index | Should -Be @(0, 2, 3)
        }

        It 'the same when streamed' {
            Add-FakeFault $Fake @(@{ errorSlots = @(0) })
            $results = [System.Collections.Generic.List[object]]::new()
            $refusal = Get-Refusal { New-SeedreamImage -Prompt 'four panels' -MaxImages 4 -Stream -ErrorAction Stop | ForEach-Object { $results.Add($_) } }
            $refusal | Should -Not -BeNullOrEmpty
            $results.Index | Should -Be @(1, 2, 3)
        }
    }

    Context 'Binding by property name' {
        It 'a CSV with per-row models, sizes, counts and images sends each row its own exact body' {
            $csv = Join-Path $Work 'shots.csv'
            @(
                [pscustomobject]@{ Prompt = 'fox'; Model = '4.0'; Size = '1K'; MaxImages = '2'; Image = '' }
                [pscustomobject]@{ Prompt = 'wolf'; Model = ''; Size = ''; MaxImages = ''; Image = '' }
                [pscustomobject]@{ Prompt = 'bear'; Model = '4.5'; Size = '2K'; MaxImages = ''; Image = 'https://img.example/a.png;https://img.example/b.png' }
            ) | Export-Csv -LiteralPath $csv -NoTypeInformation
            $rows = Import-Csv -LiteralPath $csv
            $null = $rows[0..1] | New-SeedreamImage
            $null = $rows[2] | Edit-SeedreamImage
            $bodies = Get-Generation | ForEach-Object { $_.body | ConvertTo-Json -Compress -Depth 5 }
            $bodies[0] | Should -BeExactly '{"model":"seedream-4-0-250828","prompt":"fox","sequential_image_generation":"auto","sequential_image_generation_options":{"max_images":2},"size":"1K","response_format":"url","watermark":false}'
            $bodies[1] | Should -BeExactly '{"model":"seedream-5-0-260128","prompt":"wolf","sequential_image_generation":"disabled","response_format":"url","watermark":false}'
            $bodies[2] | Should -BeExactly '{"model":"seedream-4-5-251128","prompt":"bear","image":["https://img.example/a.png","https://img.example/b.png"],"sequential_image_generation":"disabled","size":"2K","response_format":"url","watermark":false}'
        }

        It 'a row whose own values break a rule is an error for that row alone' {
            $rows = [pscustomobject]@{ Prompt = 'ok' }, [pscustomobject]@{ Prompt = 'bad'; Size = 'huge' }, [pscustomobject]@{ Prompt = 'fine'; MaxImages = 2 }
            $results = $rows | New-SeedreamImage -ErrorVariable failures -ErrorAction SilentlyContinue
            ($results.Prompt | Select-Object -Unique) | Should -Be @('ok', 'fine')
            "$($failures[0])" | Should -BeLike 'Parameter -Size:*'
            Get-SentPrompts | Should -Be @('ok', 'fine')
        }

        It 'Watermark and OutputFormat bind from text cells' {
            $null = [pscustomobject]@{ Prompt = 'w'; Watermark = 'True'; OutputFormat = 'png' }, [pscustomobject]@{ Prompt = 'n'; Watermark = 'False'; OutputFormat = 'jpeg' } | New-SeedreamImage
            $bodies = Get-Generation | ForEach-Object { $_.body }
            $bodies[0].watermark | Should -BeTrue
            $bodies[0].output_format | Should -Be 'png'
            $bodies[1].watermark | Should -BeFalse
        }

        It 'delay-bind script blocks on New-SeedreamImage: each item its own prompt and size' {
            $null = Get-Item -LiteralPath $Good.FullName, $Other.FullName | New-SeedreamImage -Prompt { 'a poster for ' + $_.BaseName } -Size { '2K' }
            Get-SentPrompts | Should -Be @('a poster for good', 'a poster for other')
            (Get-Generation | ForEach-Object { $_.body.size }) | Should -Be @('2K', '2K')
        }

        It 'files piped to New-SeedreamImage: a file''s own Size (its length, PowerShell 7.6) is not the request''s size' {
            # The Size member is added where the PowerShell running the tests does not give files one (7.4, 7.5).
            $files = Get-Item -LiteralPath $Good.FullName, $Other.FullName | ForEach-Object {
                if (-not $_.PSObject.Properties['Size']) { $_ | Add-Member -NotePropertyName Size -NotePropertyValue $_.Length }
                $_
            }
            $results = $files | New-SeedreamImage -Prompt { 'a poster for ' + $_.BaseName }
            Get-SentPrompts | Should -Be @('a poster for good', 'a poster for other')
            @(Get-Generation | Where-Object { $_.body.PSObject.Properties['size'] }) | Should -HaveCount 0
            $results.Prompt | Should -Be @('a poster for good', 'a poster for other')
            # A size the call gives still counts.
            Reset-FakeSeedreamApi $Fake
            $null = $files | New-SeedreamImage -Prompt { $_.BaseName } -Size 3K
            (Get-Generation | ForEach-Object { $_.body.size }) | Should -Be @('3K', '3K')
        }

        It 'a file piped to New-SeedreamImage without -Prompt is that item''s error, never a request with its path as the prompt' {
            $null = Get-Item -LiteralPath $Good.FullName, $Other.FullName | New-SeedreamImage -ErrorVariable failures -ErrorAction SilentlyContinue
            Get-Generation | Should -HaveCount 0
            $failures | Should -HaveCount 2
            "$($failures[0])" | Should -BeLike 'Parameter -Prompt: give the prompt*a piped file or folder is not a prompt.'
            $failures[0].FullyQualifiedErrorId | Should -BeLike 'Seedream.InvalidParameter,*'
            # Lines of a prompt file (Get-Content: provider properties, but not items) are still prompts.
            Set-Content -LiteralPath (Join-Path $Work 'prompts.txt') -Value 'a heron', 'a crane'
            $null = Get-Content -LiteralPath (Join-Path $Work 'prompts.txt') | New-SeedreamImage
            Get-SentPrompts | Should -Be @('a heron', 'a crane')
        }

        It 'delay-bind script blocks on Edit-SeedreamImage: Get-ChildItem *.png | Edit-SeedreamImage -Prompt { "restyle " + $_.BaseName }' {
            $results = Get-Item -LiteralPath $Good.FullName, $Other.FullName | Edit-SeedreamImage -Prompt { 'restyle ' + $_.BaseName }
            Get-SentPrompts | Should -Be @('restyle good', 'restyle other')
            $results.Prompt | Should -Be @('restyle good', 'restyle other')
            # A file's own properties (its Size is its length) are not the request's.
            @(Get-Generation | Where-Object { $_.body.PSObject.Properties['size'] }) | Should -HaveCount 0
        }

        It 'a piped earlier result is edited with the call''s values, not its own model and size' {
            $first = New-SeedreamImage -Prompt 'base' -Model 4.0 -Size 1K
            Reset-FakeSeedreamApi $Fake
            $null = $first | Edit-SeedreamImage -Prompt 'refine'
            $body = (Get-Generation)[0].body
            $body.model | Should -Be 'seedream-5-0-260128'
            $body.PSObject.Properties['size'] | Should -BeNullOrEmpty
            $null = $first | Edit-SeedreamImage -ErrorVariable failures -ErrorAction SilentlyContinue
            "$($failures[0])" | Should -BeLike 'Parameter -Prompt:*'
        }
    }

    Context 'Checkpoints' {
        BeforeEach {
            $script:Journal = Join-Path $TestDrive ('run-' + [guid]::NewGuid().ToString('N') + '.jsonl')
            $script:Out = Join-Path $TestDrive ('out-' + [guid]::NewGuid().ToString('N'))
        }

        It 'a clean re-run sends zero requests, saves nothing twice, and says what it skipped' {
            $files = 'p1', 'p2' | New-SeedreamImage -CheckpointPath $Journal | Save-SeedreamResult -Path $Out -CheckpointPath $Journal -PassThru
            $files | Should -HaveCount 2
            Reset-FakeSeedreamApi $Fake
            $again = 'p1', 'p2' | New-SeedreamImage -CheckpointPath $Journal -InformationVariable info |
                Save-SeedreamResult -Path $Out -CheckpointPath $Journal -PassThru
            Get-FakeRequest $Fake | Should -HaveCount 0 -Because 'neither a generation nor a download is repeated'
            (Get-ChildItem -LiteralPath $Out -File).Count | Should -Be 2
            ($again | Where-Object { $_ -is [System.IO.FileInfo] }).FullName | Should -Be $files.FullName
            $summary = $info | Where-Object { $_.Tags -contains 'Summary' } | Select-Object -Last 1
            $summary.MessageData.RequestsSent | Should -Be 0
            $summary.MessageData.ImagesFromCheckpoint | Should -Be 2
        }

        It 'says in -Verbose which requests it did not send' {
            $null = New-SeedreamImage -Prompt 'once' -CheckpointPath $Journal
            $verbose = New-SeedreamImage -Prompt 'once' -CheckpointPath $Journal -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
            ($verbose.Message -join "`n") | Should -Match "Checkpoint: not sent: 'once' was answered"
            Get-Generation | Should -HaveCount 1
        }

        It 'an expired URL with no saved file is requested again, and says so' {
            $null = New-SeedreamImage -Prompt 'old' -CheckpointPath $Journal
            $lines = @(Get-Content -LiteralPath $Journal)
            $lines[0] = $lines[0] -replace '"expiresAt":"[^"]+"', '"expiresAt":"2020-01-01T00:00:00.0000000+00:00"'
            Set-Content -LiteralPath $Journal -Value $lines
            Reset-FakeSeedreamApi $Fake
            $result = New-SeedreamImage -Prompt 'old' -CheckpointPath $Journal -WarningVariable warned 3>$null
            $result.FromCheckpoint | Should -BeFalse
            Get-Generation | Should -HaveCount 1
            "$warned" | Should -Match 'sending the request again'
        }

        It 'a truncated last line is skipped with a warning; the lines before it still count' {
            $null = 'kept', 'cut' | New-SeedreamImage -CheckpointPath $Journal
            $bytes = [IO.File]::ReadAllBytes($Journal)
            [IO.File]::WriteAllBytes($Journal, $bytes[0..($bytes.Length - 30)])
            Reset-FakeSeedreamApi $Fake
            $null = 'kept', 'cut' | New-SeedreamImage -CheckpointPath $Journal -WarningVariable warned 3>$null
            Get-SentPrompts | Should -Be @('cut')
            "$warned" | Should -Match 'last line .* damaged'
            # The journal is whole again: a third run sends nothing.
            Reset-FakeSeedreamApi $Fake
            $null = 'kept', 'cut' | New-SeedreamImage -CheckpointPath $Journal -WarningAction SilentlyContinue
            Get-Generation | Should -HaveCount 0
        }

        It 'a run killed half-way is resumed: a re-run sends only what was not answered' {
            $script = Join-Path $TestDrive 'child.ps1'
            Set-Content -LiteralPath $script -Value @'
param($Module, $Base, $Key, $Journal, $Out)
Import-Module $Module
$env:SEEDREAM_BASE_URI = $Base; $env:SEEDREAM_API_KEY = $Key
1..6 | ForEach-Object { "shot $_" } | New-SeedreamImage -CheckpointPath $Journal | Save-SeedreamResult -Path $Out -CheckpointPath $Journal
'@
            Set-FakeSetting $Fake -LatencyMs 400
            $start = New-ChildPwsh @('-File', $script, (Join-Path $modulePath 'Seedream.psd1'), $Fake.ApiV1, $Fake.ApiKey, $Journal, $Out)
            $child = [System.Diagnostics.Process]::Start($start)
            try {
                # Kill it once the fake has answered three requests (its own count), whatever the timing.
                Wait-Until -Seconds 60 { @(Get-Generation | Where-Object status -EQ 200).Count -ge 3 -or $child.HasExited }
                $child.Kill($true)
                $child.WaitForExit()
            } finally { $child.Dispose() }
            Set-FakeSetting $Fake -LatencyMs 0
            $firstRun = Get-SentPrompts
            $firstRun.Count | Should -BeLessThan 6 -Because 'the child was killed before it sent everything'
            $answeredBefore = @(Get-Content -LiteralPath $Journal | Where-Object { $_ -match '"type":"request"' } | ForEach-Object { ($_ | ConvertFrom-Json).prompt })
            $answeredBefore.Count | Should -BeGreaterOrEqual 2
            Reset-FakeSeedreamApi $Fake
            $files = 1..6 | ForEach-Object { "shot $_" } | New-SeedreamImage -CheckpointPath $Journal -WarningAction SilentlyContinue |
                Save-SeedreamResult -Path $Out -CheckpointPath $Journal -PassThru -WarningAction SilentlyContinue
            $resent = Get-SentPrompts
            # Nothing the journal held as answered went out again; everything else did, once.
            @($resent | Where-Object { $_ -in $answeredBefore }) | Should -HaveCount 0
            (@($answeredBefore) + $resent | Sort-Object) | Should -Be @(1..6 | ForEach-Object { "shot $_" })
            (Get-ChildItem -LiteralPath $Out -File).Count | Should -Be 6
            $files | Should -HaveCount 6
        }

        It 'the Done-when command run twice sends each row once, saves each image once, and a bad row costs only that row' {
            Push-Location $TestDrive
            try {
                $folder = New-Item -ItemType Directory ('done-' + [guid]::NewGuid().ToString('N'))
                Set-Location $folder
                @(
                    [pscustomobject]@{ Prompt = 'one'; Model = '4.0'; Size = '1K'; MaxImages = '2' }
                    [pscustomobject]@{ Prompt = 'bad'; Model = ''; Size = 'enormous'; MaxImages = '' }
                    [pscustomobject]@{ Prompt = 'three'; Model = ''; Size = '2K'; MaxImages = '' }
                ) | Export-Csv ./shots.csv -NoTypeInformation
                foreach ($run in 1, 2) {
                    Import-Csv ./shots.csv | New-SeedreamImage -CheckpointPath ./run.jsonl -ErrorAction SilentlyContinue | Save-SeedreamResult -Path ./out -CheckpointPath ./run.jsonl
                }
                Get-SentPrompts | Should -Be @('one', 'three')
                (Get-ChildItem ./out -File).Count | Should -Be 3
                @(Get-FakeRequest $Fake -Target download).Count | Should -Be 3
            } finally { Pop-Location }
        }

        It 'an unusable -CheckpointPath stops before any request' {
            $refusal = Get-Refusal { New-SeedreamImage -Prompt p -CheckpointPath $TestDrive }
            "$refusal" | Should -BeLike 'Parameter -CheckpointPath:*folder*'
            Get-Generation | Should -HaveCount 0
        }
    }

    Context 'The cost summary' {
        It 'one line at the end: requests sent, images billed, skipped, estimated cost' {
            $null = 'a', 'b' | New-SeedreamImage -MaxImages 2 -InformationVariable info
            $summary = @($info | Where-Object { $_.Tags -contains 'Summary' })
            $summary | Should -HaveCount 1
            $summary[0].MessageData.RequestsSent | Should -Be 2
            $summary[0].MessageData.ImagesBilled | Should -Be 4
            "$($summary[0].MessageData)" | Should -Match '^Seedream: 2 request\(s\) sent, 4 image\(s\) billed, 0 image\(s\) skipped from the checkpoint .*estimated cost \$0\.14 at list price\.$'
        }

        It '-WhatIf over a pipeline totals the most the whole batch can cost in its last line' {
            $start = New-ChildPwsh -Capture @('-Command', "`$ProgressPreference = 'SilentlyContinue'; Import-Module '$(Join-Path $modulePath 'Seedream.psd1')'; 'a', 'b', 'c' | New-SeedreamImage -MaxImages 3 -WhatIf")
            $child = [System.Diagnostics.Process]::Start($start)
            $null = $child.StandardError.ReadToEndAsync()
            $lines = $child.StandardOutput.ReadToEnd() -split '\r?\n' | Where-Object { $_ }
            $child.WaitForExit()
            $child.Dispose()
            ($lines | Select-Object -Last 1) | Should -BeExactly 'What if: Seedream batch: 3 request(s), up to 9 billed image(s), estimated cost up to $0.315 at list price.'
            Get-Generation | Should -HaveCount 0
        }
    }
}
