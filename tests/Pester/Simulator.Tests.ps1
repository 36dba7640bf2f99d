# Issue 17: -Provider Simulator answers every command in process (no key, no network, nothing billed), and its faults
# on demand end as the same faults from a server do (compared here with the fake API playing them).
BeforeDiscovery {
    # The README's recipes (and its simulator sections), each a PowerShell block; a block that is a script's text (param)
    # needs its host, and is left out.
    $readme = Get-Content (Join-Path $PSScriptRoot '../../README.md') -Raw
    $script:RecipeCases = @(foreach ($section in [regex]::Matches($readme, '(?ms)^## (Try it without a key|Quick start|Recipes|Test your runbook for free)\r?\n(.*?)(?=^## )')) {
            $n = 0
            foreach ($block in [regex]::Matches($section.Groups[2].Value, '(?ms)^```powershell\r?\n(.*?)^```')) {
                $n++
                $code = $block.Groups[1].Value
                if ($code -match '^\s*param\(') { continue }
                @{ Section = $section.Groups[1].Value; Number = $n; Code = $code }
            }
        })
}

Describe 'Simulator' {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'TestSetup.ps1')

        # What a call ended with: how many objects it wrote, and each error as "<error id> <exception type>".
        function Get-Outcome([scriptblock] $Call) {
            $thrown = $null
            $output = @(try { & $Call 2>&1 } catch { $thrown = $_ })
            $records = @($output | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] }) + @($thrown | Where-Object { $_ })
            [pscustomobject]@{
                Objects = @($output | Where-Object { $_ -isnot [System.Management.Automation.ErrorRecord] }).Count
                Errors  = @($records | ForEach-Object { '{0} {1}' -f ($_.FullyQualifiedErrorId -split ',')[0], $_.Exception.GetType().Name })
            }
        }

        # The same call against the fake API playing $FakeRule, then on the simulator playing $Fault.
        function Compare-Fault([hashtable] $FakeRule, [string] $Fault, [scriptblock] $Call) {
            Reset-FakeSeedreamApi $Fake
            Add-FakeFault $Fake $FakeRule
            $fromFake = Get-Outcome $Call
            Connect-Seedream -Provider Simulator -SimulateFault $Fault
            try { $fromSimulator = Get-Outcome $Call } finally { Disconnect-Seedream }
            [pscustomobject]@{ Fake = $fromFake; Simulator = $fromSimulator }
        }

        function Get-Header([byte[]] $Bytes) {
            # ImageHeaderReader.TryRead(byte[], out ImageHeader, out string), called by reflection for its out arguments.
            $method = [Seedream.Imaging.ImageHeaderReader].GetMethod('TryRead',
                [type[]] @([byte[]], [Seedream.Imaging.ImageHeader].MakeByRefType(), [string].MakeByRefType()))
            $arguments = [object[]] @(, $Bytes) + @($null, $null)
            if (-not $method.Invoke($null, $arguments)) { throw "Not an image: $($arguments[2])" }
            $arguments[1]
        }
    }
    AfterAll { . (Join-Path $PSScriptRoot 'TestTeardown.ps1') }
    AfterEach { Disconnect-Seedream }

    It 'writes three files from a streamed sequence with no key and no network (a dead proxy, no network client built)' {
        # A fresh PowerShell with no key anywhere and every proxy variable pointing at a closed port: any request that
        # left the process would fail. The module's network clients (HttpClientCache) must not even be built.
        $folder = Join-Path $TestDrive 'fresh'
        $null = New-Item -ItemType Directory $folder
        $module = (Get-Module Seedream).Path | Split-Path
        $script = @"
Set-Location '$folder'
`$files = New-SeedreamImage -Provider Simulator -Prompt 'a fox' -MaxImages 3 -Stream | Save-SeedreamResult -Path ./sim -PassThru
[pscustomobject]@{
    Files    = @(`$files.Name)
    Clients  = [Seedream.Api.HttpClientCache].GetProperty('Count', [Reflection.BindingFlags]'NonPublic,Static').GetValue(`$null)
    Answered = [Seedream.Simulator.SimulatorHandler]::RequestsAnswered
} | ConvertTo-Json -Compress
"@
        # The child's environment only: this process's network clients keep theirs.
        $exe = [Environment]::ProcessPath
        $start = [System.Diagnostics.ProcessStartInfo]::new($exe)
        if ((Split-Path $exe -Leaf) -like 'dotnet*') { $start.ArgumentList.Add((Join-Path $PSHOME 'pwsh.dll')) }
        foreach ($argument in '-NoProfile', '-NonInteractive', '-Command', "Import-Module '$module'; $script") { $start.ArgumentList.Add($argument) }
        foreach ($name in 'SEEDREAM_API_KEY', 'ARK_API_KEY', 'SEEDREAM_BASE_URI') { $null = $start.Environment.Remove($name) }
        foreach ($name in 'HTTPS_PROXY', 'HTTP_PROXY', 'ALL_PROXY', 'https_proxy', 'http_proxy', 'all_proxy') { $start.Environment[$name] = 'http://127.0.0.1:9' }
        $start.RedirectStandardOutput = $true
        $start.UseShellExecute = $false
        $child = [System.Diagnostics.Process]::Start($start)
        $json = $child.StandardOutput.ReadToEnd()
        $child.WaitForExit()
        $child.ExitCode | Should -Be 0

        $result = ($json.Trim() -split "`n")[-1] | ConvertFrom-Json
        $result.Files | Should -HaveCount 3
        $result.Clients | Should -Be 0       # no HttpClient with a socket handler was made
        $result.Answered | Should -Be 4      # one generation and three downloads, all answered in process
        $files = @(Get-ChildItem (Join-Path $folder 'sim') -File)
        $files | Should -HaveCount 3
        foreach ($file in $files) {
            $header = Get-Header ([IO.File]::ReadAllBytes($file.FullName))
            "$($header.Format) $($header.Width)x$($header.Height)" | Should -Be 'Jpeg 2048x2048'  # 5.0 lite's default, 2K
        }
    }

    Context 'answers' {
        It 'draws the same image for the same request and another for another prompt' {
            $a = New-SeedreamImage -Provider Simulator -Prompt 'a fox' -ResponseFormat Base64Json
            $b = New-SeedreamImage -Provider Simulator -Prompt 'a fox' -ResponseFormat Base64Json
            $c = New-SeedreamImage -Provider Simulator -Prompt 'a wolf' -ResponseFormat Base64Json
            [Convert]::ToBase64String($a.ImageBytes) | Should -Be ([Convert]::ToBase64String($b.ImageBytes))
            [Convert]::ToBase64String($a.ImageBytes) | Should -Not -Be ([Convert]::ToBase64String($c.ImageBytes))
        }

        It 'makes images of the size and format asked for on <Model> <Size> <Format>' -ForEach @(
            @{ Model = '5.5'; Size = '1280x720'; Format = 'Png'; Expected = 'Png 1280x720' }
            @{ Model = '4.5'; Size = '4K'; Format = 'Jpeg'; Expected = 'Jpeg 4096x4096' }
            @{ Model = '4.0'; Size = '1K'; Format = 'Jpeg'; Expected = 'Jpeg 1024x1024' }
            @{ Model = 'pro'; Size = '2K'; Format = 'Png'; Expected = 'Png 2048x2048' }
        ) {
            $image = New-SeedreamImage -Provider Simulator -Model $Model -Prompt 'a kite' -Size $Size -OutputFormat $Format -ResponseFormat Base64Json
            $header = Get-Header $image.ImageBytes
            "$($header.Format) $($header.Width)x$($header.Height)" | Should -Be $Expected
            "$($image.Width)x$($image.Height)" | Should -Be $Size.Replace('4K', '4096x4096').Replace('1K', '1024x1024').Replace('2K', '2048x2048')
        }

        It 'edits, fuses and makes sequences of at most -MaxImages, saving each like any result' {
            $folder = Join-Path $TestDrive 'modes'
            $first = New-SeedreamImage -Provider Simulator -Prompt 'a red fox'
            $edit = $first | Edit-SeedreamImage -Provider Simulator -Prompt 'at night'
            $fusion = Edit-SeedreamImage -Provider Simulator -Image $first.Url, $edit.Url -Prompt 'image 1 in the style of image 2'
            $sequence = @(New-SeedreamImage -Provider Simulator -Prompt 'a storyboard in 2 panels' -MaxImages 4)
            $edit.Mode, $fusion.Mode | Should -Be 'Edit', 'Fusion'
            $sequence | Should -HaveCount 2   # the prompt asks for two; the model may return fewer than max_images
            $files = @($first, $edit, $fusion + $sequence | Save-SeedreamResult -Path $folder -PassThru)
            $files | Should -HaveCount 5
        }

        It 'says its results are simulated: the property, $0, the view, and the record in the saved file' {
            $image = New-SeedreamImage -Provider Simulator -Prompt 'a fox'
            $image.IsSimulated | Should -BeTrue
            $image.Cost | Should -Be 0
            $image.Request.Provider | Should -Be 'Simulator'
            ([Uri]$image.Url).Host | Should -Be 'simulator.seedream.invalid'
            ($image | Format-Table | Out-String -Width 200) | Should -Match 'SIMULATED simulator\.seedream\.invalid'
            ($image | Format-List | Out-String -Width 200) | Should -Match 'simulated: nothing was sent or billed'
            $file = $image | Save-SeedreamResult -Path (Join-Path $TestDrive 'marked') -PassThru
            $info = Get-SeedreamImageInfo -LiteralPath $file.FullName
            $info.IsSimulated | Should -BeTrue
            $info.Provider | Should -Be 'Simulator'

            $real = New-SeedreamImage -Prompt 'a fox'   # the fake API stands for a real provider
            $real.IsSimulated | Should -BeFalse
            (Get-SeedreamImageInfo -LiteralPath ($real | Save-SeedreamResult -Path (Join-Path $TestDrive 'real') -PassThru).FullName).IsSimulated | Should -BeFalse
        }

        It 'a result recalled from a checkpoint is still simulated, and saves through the simulator' {
            $journal = Join-Path $TestDrive 'run.jsonl'
            $first = New-SeedreamImage -Provider Simulator -Prompt 'a checkpointed fox' -CheckpointPath $journal
            $again = New-SeedreamImage -Provider Simulator -Prompt 'a checkpointed fox' -CheckpointPath $journal
            $again.FromCheckpoint | Should -BeTrue
            $again.IsSimulated | Should -BeTrue
            $again.Url | Should -Be $first.Url
            @($again | Save-SeedreamResult -Path (Join-Path $TestDrive 'recalled') -PassThru) | Should -HaveCount 1
        }

        It 'needs no key: Connect-Seedream -Provider Simulator warns of none and the next calls need none' {
            Connect-Seedream -Provider Simulator -WarningVariable warnings -WarningAction SilentlyContinue
            $warnings | Should -BeNullOrEmpty
            (Get-SeedreamConnection).Provider | Should -Be 'Simulator'
            (New-SeedreamImage -Prompt 'a fox').IsSimulated | Should -BeTrue
        }

        It 'refuses what the API refuses, as the fake API does: <Name>' -ForEach @(
            @{ Name = 'stream on a model without it'; Model = '5.5'; Body = @{ stream = $true } }
            @{ Name = 'a sequence on a model without one'; Model = '5.5'; Body = @{ sequential_image_generation = 'auto' } }
            @{ Name = 'a size under the model''s least'; Model = '4.5'; Body = @{ size = '1024x1024' } }
        ) {
            Reset-FakeSeedreamApi $Fake
            $fake = Get-Outcome { New-SeedreamImage -Model $Model -Prompt 'a boat' -AdditionalBody $Body }
            $simulated = Get-Outcome { New-SeedreamImage -Provider Simulator -Model $Model -Prompt 'a boat' -AdditionalBody $Body }
            $fake.Errors | Should -HaveCount 1
            $simulated.Errors | Should -Be $fake.Errors
        }
    }

    Context 'README recipes' {
        It '<Section> block <Number> runs on the simulator in a fresh PowerShell, nothing leaving the machine' -ForEach $RecipeCases {
            $folder = Join-Path $TestDrive "recipe-$([guid]::NewGuid().ToString('N'))"
            $null = New-Item -ItemType Directory $folder, (Join-Path $folder 'photos')
            foreach ($name in 'person.png', 'jacket.png', 'style.png') { $null = New-TestImageFile -Path (Join-Path $folder $name) }
            $null = New-TestImageFile -Path (Join-Path $folder 'poster.png') -Width 1200 -Height 900   # layer decomposition takes 512x512 or more
            $null = [IO.File]::WriteAllBytes((Join-Path $folder 'photos/beach.jpg'), (New-SeedreamImage -Provider Simulator -Prompt 'a beach' -ResponseFormat Base64Json).ImageBytes)
            # The CSV files the batch recipes read, with the columns the README names.
            Set-Content (Join-Path $folder 'shots.csv') "Prompt,Model,Size,MaxImages`na red fox in snow,4.0,1K,2`na lighthouse at dusk,,,"
            Set-Content (Join-Path $folder 'edits.csv') "Image,Prompt`n./person.png,make it a watercolor`n./jacket.png;./style.png,the jacket in the style of image 2"
            $module = (Get-Module Seedream).Path | Split-Path
            # The module is imported already; Invoke-Item would open a browser.
            $code = ($Code -split '\r?\n' | Where-Object { $_ -notmatch '^\s*Import-Module' }) -join "`n"
            $script = "Import-Module '$module'; Connect-Seedream -Provider Simulator; function Invoke-Item { param([Parameter(ValueFromPipeline)] `$InputObject) process { } }`n$code"
            $exe = [Environment]::ProcessPath
            $start = [System.Diagnostics.ProcessStartInfo]::new($exe)
            if ((Split-Path $exe -Leaf) -like 'dotnet*') { $start.ArgumentList.Add((Join-Path $PSHOME 'pwsh.dll')) }
            foreach ($argument in '-NoProfile', '-NonInteractive', '-Command', $script) { $start.ArgumentList.Add($argument) }
            foreach ($name in 'SEEDREAM_API_KEY', 'ARK_API_KEY', 'SEEDREAM_BASE_URI') { $null = $start.Environment.Remove($name) }
            foreach ($name in 'HTTPS_PROXY', 'HTTP_PROXY', 'ALL_PROXY', 'https_proxy', 'http_proxy', 'all_proxy') { $start.Environment[$name] = 'http://127.0.0.1:9' }
            $start.WorkingDirectory = $folder
            $start.RedirectStandardOutput = $true
            $start.RedirectStandardError = $true
            $start.UseShellExecute = $false
            $child = [System.Diagnostics.Process]::Start($start)
            $errors = $child.StandardError.ReadToEndAsync()
            $null = $child.StandardOutput.ReadToEnd()
            $child.WaitForExit()
            $errors.Result | Should -BeNullOrEmpty
            $child.ExitCode | Should -Be 0
            if ($Code -match 'Save-SeedreamResult') {
                @(Get-ChildItem $folder -Recurse -File -Exclude *.png, beach.jpg).Count | Should -BeGreaterThan 0 -Because 'the recipe saves images'
            }
        }
    }

    Context 'faults on demand end as the same fault from a server' {
        It '<Fault> ends as the fake API''s <Name>' -ForEach @(
            @{ Name = '429'; Fault = 'RateLimit'; Rule = @{ status = 429; code = 'RateLimitExceeded.EndpointRPMExceeded' }; Call = { New-SeedreamImage -Prompt 'a fox' -MaxRetryCount 0 } }
            @{ Name = '500'; Fault = 'ServerError'; Rule = @{ status = 500; code = 'InternalServiceError' }; Call = { New-SeedreamImage -Prompt 'a fox' -MaxRetryCount 0 } }
            @{ Name = 'filtered slot 0'; Fault = 'ContentFiltered'; Rule = @{ errorSlots = @(0) }; Call = { New-SeedreamImage -Prompt 'a fox' -MaxImages 3 } }
            @{ Name = 'stream cut after one event'; Fault = 'CutStream'; Rule = @{ cutAfterEvents = 1 }; Call = { New-SeedreamImage -Prompt 'a fox' -MaxImages 3 -Stream } }
            @{ Name = 'body cut half-way'; Fault = 'CutStream'; Rule = @{ truncate = $true }; Call = { New-SeedreamImage -Prompt 'a fox' } }
            @{ Name = 'download answering 403'; Fault = 'ExpiredUrl'; Rule = @{ target = 'download'; status = 403 }; Call = { New-SeedreamImage -Prompt 'a fox' | Save-SeedreamResult -Path (Join-Path $TestDrive ([guid]::NewGuid())) -PassThru } }
        ) {
            $both = Compare-Fault $Rule $Fault $Call
            $both.Fake.Errors | Should -HaveCount 1
            $both.Simulator.Errors | Should -Be $both.Fake.Errors
            $both.Simulator.Objects | Should -Be $both.Fake.Objects
        }

        It 'a rate limit for one request is retried and recovers, as from a server' {
            $both = Compare-Fault @{ status = 429; code = 'RateLimitExceeded.EndpointRPMExceeded'; retryAfter = '1' } 'RateLimit' { New-SeedreamImage -Prompt 'a fox' -MaxRetryCount 1 }
            $both.Fake.Errors | Should -BeNullOrEmpty
            $both.Simulator.Errors | Should -BeNullOrEmpty
            $both.Simulator.Objects | Should -Be 1
        }

        It 'plays a fault for -FaultCount requests, then answers again' {
            Connect-Seedream -Provider Simulator -SimulateFault ServerError -FaultCount 2
            (Get-Outcome { New-SeedreamImage -Prompt 'a' -MaxRetryCount 0 }).Errors | Should -Be 'Seedream.ServerError SeedreamApiException'
            (Get-Outcome { New-SeedreamImage -Prompt 'b' -MaxRetryCount 0 }).Errors | Should -HaveCount 1
            (Get-Outcome { New-SeedreamImage -Prompt 'c' -MaxRetryCount 0 }).Objects | Should -Be 1
        }

        It 'refuses -SimulateFault on a real provider, naming the parameter' {
            $failure = Get-Refusal { Connect-Seedream -Provider BytePlus -SimulateFault RateLimit }
            $failure.FullyQualifiedErrorId | Should -BeLike 'Seedream.InvalidParameter,*'
            $failure.Exception.Message | Should -Match 'SimulateFault.*-Provider Simulator'
        }
    }
}
