# -ThrottleLimit: several requests in flight, output in input order, a shared 429 backoff, Ctrl+C stops everything;
# and a cheap import with one HttpClient reused. No wall-clock thresholds: the fake's recordings give the order of events.
Describe 'Throttle' {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'TestSetup.ps1')
        $script:Manifest = Join-Path $modulePath 'Seedream.psd1'
        $script:Prompts = 1..8 | ForEach-Object { "p$_" }

        function Get-Generation { @(Get-FakeRequest $Fake -Target generate) }


        # Polls the fake from another runspace and sends one release once $Seen generate requests were received and
        # $Completed of them had sent their completed event (a one-image stream sends 2 events). Gives up after 30 s.
        function Start-Releaser {
            param([int] $Seen, [int] $Completed)
            $shell = [powershell]::Create()
            $null = $shell.AddScript({
                    param($Root, $Seen, $Completed)
                    $deadline = [DateTime]::UtcNow.AddSeconds(30)
                    while ([DateTime]::UtcNow -lt $deadline) {
                        $requests = @(Invoke-RestMethod -Uri ($Root + '_control/requests') -NoProxy | ForEach-Object { $_ } | Where-Object target -EQ 'generate')
                        $done = @($requests | Where-Object eventsSent -GE 2)
                        if ($requests.Count -ge $Seen -and $done.Count -ge $Completed) {
                            $null = Invoke-RestMethod -Method Post -Uri ($Root + '_control/release') -NoProxy
                            return [pscustomobject]@{ Seen = $requests.Count; Done = $done.Count }
                        }
                        Start-Sleep -Milliseconds 50
                    }
                    [pscustomobject]@{ Seen = -1; Done = -1 }
                }).AddArgument($Fake.Root).AddArgument($Seen).AddArgument($Completed)
            [pscustomobject]@{ Shell = $shell; Handle = $shell.BeginInvoke() }
        }

        function Receive-Releaser {
            param($Releaser)
            try { $Releaser.Shell.EndInvoke($Releaser.Handle) | Select-Object -Last 1 } finally { $Releaser.Shell.Dispose() }
        }

        # Runs a script in another runspace (so this one can release holds meanwhile); returns the shell and its handle.
        function Start-Child {
            param([scriptblock] $Script, [object[]] $Arguments)
            $shell = [powershell]::Create()
            $null = $shell.AddScript($Script)
            foreach ($argument in $Arguments) { $null = $shell.AddArgument($argument) }
            [pscustomobject]@{ Shell = $shell; Handle = $shell.BeginInvoke() }
        }

        # Waits (an order-of-events wait; 30 s only as a safety net) until the child wrote a verbose line matching $Pattern.
        function Wait-ChildVerbose {
            param($Child, [string] $Pattern)
            Wait-Until -Seconds 30 { @($Child.Shell.Streams.Verbose | Where-Object Message -Match $Pattern).Count -gt 0 -or $Child.Handle.IsCompleted }
            @($Child.Shell.Streams.Verbose | Where-Object Message -Match $Pattern)
        }

        function Wait-FakeRequestCount {
            param([int] $Count)
            $deadline = [DateTime]::UtcNow.AddSeconds(30)
            while ((Get-Generation).Count -lt $Count -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }
            (Get-Generation).Count
        }
    }
    AfterAll { . (Join-Path $PSScriptRoot 'TestTeardown.ps1') }
    BeforeEach { Reset-FakeSeedreamApi $Fake }

    It 'keeps up to N requests in flight while one is held, and writes the results in input order' {
        # The first request to arrive is held before its first event; with -ThrottleLimit 4 the other three slots keep
        # turning, so all eight requests reach the fake and seven finish while the first is still held.
        Add-FakeFault $Fake @{ holdAfterEvents = 0 }
        $releaser = Start-Releaser -Seen 8 -Completed 7

        $images = $Prompts | New-SeedreamImage -Stream -ThrottleLimit 4

        $released = Receive-Releaser $releaser
        $released.Seen | Should -Be 8
        $released.Done | Should -Be 7
        $held = @(Get-Generation | Where-Object { $null -ne $_.holdReleased })
        $held | Should -HaveCount 1
        $held[0].holdReleased | Should -BeTrue -Because 'the release came from the releaser, not from the 15 s hold time-out'
        $images.Prompt | Should -Be $Prompts
    }

    It 'finishes unstreamed requests out of order and still writes them in input order' {
        # The first request to arrive (one of p1..p4) is held before its answer; it is released only once the command
        # said the seven others finished, which they can only do through the three free slots.
        Add-FakeFault $Fake @{ holdAfterEvents = 0 }
        $child = Start-Child -Arguments $Manifest, $Prompts -Script {
            param($Manifest, $Prompts)
            Import-Module $Manifest
            $Prompts | New-SeedreamImage -ThrottleLimit 4 -Verbose
        }
        try {
            Wait-Until -Seconds 30 { @($child.Shell.Streams.Verbose | Where-Object Message -Match '^HTTP 200, request id').Count -ge 7 -or $child.Handle.IsCompleted }
            Send-FakeRelease $Fake
            $images = @($child.Shell.EndInvoke($child.Handle))
            $finishedIds = @($child.Shell.Streams.Verbose | ForEach-Object { if ($_.Message -match '^HTTP 200, request id (\S+): ') { $Matches[1] } })
        }
        finally { $child.Shell.Dispose() }

        $images.Prompt | Should -Be $Prompts
        $requests = @(Get-Generation)
        $requests | Should -HaveCount 8
        $held = @($requests | Where-Object { $null -ne $_.holdReleased })
        $held | Should -HaveCount 1
        $held[0].holdReleased | Should -BeTrue -Because 'the release came from the test, not from the 15 s hold time-out'
        $held[0].body.prompt | Should -BeIn $Prompts[0..3]
        $finishedIds | Should -HaveCount 8
        $finishedIds[-1] | Should -Be $held[0].id -Because 'the held request ran alongside the later ones, which finished before it'
        $images[0].Prompt | Should -Be 'p1'
    }

    It 'runs one request at a time by default' {
        # The first request is answered 1 s late; one at a time, nothing else is sent or finished before it.
        Add-FakeFault $Fake @{ delayMs = 1000 }

        $stream = $Prompts[0..2] | New-SeedreamImage -Verbose 4>&1
        $finishedIds = @($stream | ForEach-Object {
                if ($_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -match '^HTTP 200, request id (\S+): ') { $Matches[1] }
            })

        $requests = Get-Generation
        $requests.body.prompt | Should -Be $Prompts[0..2]
        $finishedIds | Should -Be $requests.id
        @($stream | Where-Object { $_ -is [Seedream.SeedreamImage] }).Prompt | Should -Be $Prompts[0..2]
    }

    It 'makes every request wait after a 429 with Retry-After (shared backoff), then finishes them all' {
        # With -ThrottleLimit 2 the first request to arrive is answered 429 (Retry-After: 2) and the other is held. The
        # hold is released only once the client said it will retry (it pauses the shared backoff before saying so), so
        # the requests the freed slot sends next are sent during the pause. By the fake's own clock, nothing but the
        # held one may arrive until 2 s after the 429: without a shared pause the next prompt would arrive at once.
        Add-FakeFault $Fake @{ status = 429; code = 'RateLimitExceeded'; retryAfter = '2' }, @{ holdAfterEvents = 0 }
        $child = Start-Child -Arguments $Manifest, $Prompts -Script {
            param($Manifest, $Prompts)
            Import-Module $Manifest
            $Prompts | New-SeedreamImage -Stream -ThrottleLimit 2 -Verbose
        }
        try {
            Wait-ChildVerbose $child 'HTTP 429 RateLimitExceeded\); retrying in 2 s' | Should -HaveCount 1
            Send-FakeRelease $Fake
            $images = @($child.Shell.EndInvoke($child.Handle))
            $verbose = @($child.Shell.Streams.Verbose)
        }
        finally { $child.Shell.Dispose() }

        $images.Prompt | Should -Be $Prompts
        $requests = @(Get-Generation)
        $requests | Should -HaveCount 9 -Because 'eight prompts and one retry'
        $limited = @($requests | Where-Object status -EQ 429)
        $limited | Should -HaveCount 1
        $held = @($requests | Where-Object { $null -ne $_.holdReleased })
        $held | Should -HaveCount 1
        $held[0].holdReleased | Should -BeTrue
        $limitedAt = [DateTimeOffset]$limited[0].receivedAt
        $after = @($requests | Where-Object { [DateTimeOffset]$_.receivedAt -ge $limitedAt -and $_.id -ne $limited[0].id -and $_.id -ne $held[0].id })
        $after | Should -HaveCount 7 -Because 'the retry and six further prompts were sent after the 429'
        foreach ($request in $after) {
            ([DateTimeOffset]$request.receivedAt - $limitedAt).TotalSeconds | Should -BeGreaterOrEqual 1.95 -Because "$($request.body.prompt) was sent during the shared pause"
        }
        @($requests | Where-Object { $_.body.prompt -eq $limited[0].body.prompt }) | Should -HaveCount 2 -Because 'the limited prompt was retried once'
        @($verbose | Where-Object Message -Match 'retrying in') | Should -HaveCount 1
    }

    It 'stops every request in flight on Ctrl+C (PowerShell.Stop) and starts no more' {
        Add-FakeFault $Fake @{ holdAfterEvents = 0; times = 8 }
        $shell = [powershell]::Create()
        try {
            $null = $shell.AddScript({
                    param($Manifest, $Prompts)
                    Import-Module $Manifest
                    $Prompts | New-SeedreamImage -Stream -ThrottleLimit 4
                }).AddArgument($Manifest).AddArgument($Prompts)
            $handle = $shell.BeginInvoke()
            Wait-FakeRequestCount 4 | Should -Be 4

            $shell.Stop()

            $shell.InvocationStateInfo.State | Should -Be 'Stopped'
            $handle.IsCompleted | Should -BeTrue
        }
        finally { $shell.Dispose() }

        # The fake records a request as aborted when the client closes its connection while the answer is held.
        Wait-Until -Seconds 30 { @(Get-Generation | Where-Object aborted).Count -ge 4 }
        $requests = @(Get-Generation)
        $requests | Should -HaveCount 4 -Because 'no request starts after the stop'
        $requests.aborted | Should -Be @($true, $true, $true, $true)
        $requests.eventsSent | Should -Be @(0, 0, 0, 0)
        $requests | Where-Object { $null -ne $_.holdReleased } | Should -BeNullOrEmpty -Because 'every held stream had been abandoned by the client'
    }

    It 'imports without making an HttpClient, then reuses one HttpClient across calls and cmdlets' {
        $pwsh = if ((Split-Path ([Environment]::ProcessPath) -Leaf) -like 'dotnet*') { @([Environment]::ProcessPath, (Join-Path $PSHOME 'pwsh.dll')) } else { @([Environment]::ProcessPath) }
        $folder = Join-Path $TestDrive 'reuse'
        $script = {
            param($Manifest, $Folder)
            $ProgressPreference = 'SilentlyContinue'
            Import-Module $Manifest
            $null = Get-SeedreamModel
            $cache = [Seedream.Api.HttpClientCache].GetField('Clients', [Reflection.BindingFlags]'NonPublic, Static').GetValue($null)
            $afterImport = $cache.Count
            $null = New-SeedreamImage -Prompt 'one' | Save-SeedreamResult -Path $Folder
            $null = Edit-SeedreamImage -Prompt 'two' -Image 'https://img.example/a.png' | Save-SeedreamResult -Path $Folder
            [pscustomobject]@{ AfterImport = $afterImport; AfterCalls = $cache.Count } | ConvertTo-Json -Compress
        }
        $encoded = [Convert]::ToBase64String([Text.Encoding]::Unicode.GetBytes("& { $script } '$Manifest' '$folder'"))

        # PowerShell's own start-up telemetry loads System.Net.Http on a background thread, sooner or later depending on
        # the machine's load: switched off for this child, so the assembly list says what the module loaded.
        $savedOptOut = $env:POWERSHELL_TELEMETRY_OPTOUT
        $env:POWERSHELL_TELEMETRY_OPTOUT = '1'
        try { $json = & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -EncodedCommand $encoded }
        finally { $env:POWERSHELL_TELEMETRY_OPTOUT = $savedOptOut }
        $result = $json | ConvertFrom-Json

        # Which assemblies are loaded says nothing here: pwsh itself loads System.Net.Http on a background thread at start-up.
        $result.AfterImport | Should -Be 0 -Because 'nothing network-related is built at import (nor by Get-SeedreamModel)'
        $result.AfterCalls | Should -Be 1 -Because 'two generations and two downloads share one HttpClient'
        (Get-Generation) | Should -HaveCount 2
        @(Get-ChildItem $folder -File) | Should -HaveCount 2
    }

    It 'writes every unstreamed result complete, with its usage and request id, also at -ThrottleLimit 4' {
        # Select-Object copies the values at the moment each object passes: nothing may be filled in later.
        $seen = $Prompts + $Prompts | New-SeedreamImage -ThrottleLimit 4 | Select-Object Prompt, RequestId, @{ n = 'Billed'; e = { $_.Usage.GeneratedImages } }
        $seen | Should -HaveCount 16
        $seen.Prompt | Should -Be ($Prompts + $Prompts)
        $seen.Billed | Should -Be (@(1) * 16)
        $seen.RequestId | Should -Match '^req-'
    }

    It 'writes the results of requests already sent before a batch-stopping error ends the command, and sends no more' {
        # -ThrottleLimit 4: the first request to arrive is answered 401 and the three others are held, so no slot frees
        # before the 401 is seen, whichever prompt it hit (also one behind a head still running). The holds are released
        # once the command said it stops: their results must still be written, and no fifth request sent.
        Add-FakeFault $Fake @{ status = 401 }, @{ holdAfterEvents = 0; times = 7 }
        $child = Start-Child -Arguments $Manifest, $Prompts -Script {
            param($Manifest, $Prompts)
            Import-Module $Manifest
            $results = [System.Collections.Generic.List[object]]::new()
            $failure = try { $Prompts | New-SeedreamImage -Stream -ThrottleLimit 4 -Verbose | ForEach-Object { $results.Add($_) }; $null } catch { $_ }
            [pscustomobject]@{ Results = $results.ToArray(); Failure = $failure }
        }
        try {
            Wait-ChildVerbose $child '^Stopping: ' | Should -HaveCount 1
            1..3 | ForEach-Object { Send-FakeRelease $Fake }
            $outcome = $child.Shell.EndInvoke($child.Handle) | Select-Object -Last 1
        }
        finally { $child.Shell.Dispose() }

        $outcome.Failure.FullyQualifiedErrorId | Should -BeLike 'Seedream.Authentication*'
        $sent = @(Get-Generation)
        $sent | Should -HaveCount 4 -Because 'no request is sent once the 401 is known'
        @($sent | Where-Object status -EQ 401) | Should -HaveCount 1
        $answered = @($sent | Where-Object status -EQ 200)
        $answered | Should -HaveCount 3
        $answered.holdReleased | Should -Be @($true, $true, $true)
        # Every request answered 200 reached the pipeline, in input order; only the 401 produced nothing.
        $outcome.Results.Prompt | Should -Be @($Prompts | Where-Object { $_ -in $answered.body.prompt })
    }

    It 'writes the results of requests already sent before a refused input stops the command' {
        $results = [System.Collections.Generic.List[object]]::new()
        $inputs = (New-ReferenceUrl 3) + @(Join-Path $TestDrive 'missing.png')
        $failure = Get-Refusal { $inputs | Edit-SeedreamImage -Prompt 'sepia' -ThrottleLimit 4 | ForEach-Object { $results.Add($_) } }
        $failure.FullyQualifiedErrorId | Should -BeLike 'Seedream.InvalidImage*'
        (Get-Generation) | Should -HaveCount 3
        $results | Should -HaveCount 3
        $failure.TargetObject | Should -Be (Join-Path $TestDrive 'missing.png')
    }
}
