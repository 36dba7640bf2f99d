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

    It 'with the fake answering after latencyMs, finishes requests out of order and still writes them in input order' {
        # The first request to arrive (one of p1..p4) is answered 2 s late; the others keep flowing through the free slots.
        Set-FakeSetting $Fake -LatencyMs 100
        Add-FakeFault $Fake @{ delayMs = 2000 }

        $stream = $Prompts | New-SeedreamImage -ThrottleLimit 4 -Verbose 4>&1
        $images = @($stream | Where-Object { $_ -is [Seedream.SeedreamImage] })
        $finishedIds = @($stream | ForEach-Object {
                if ($_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -match '^HTTP 200, request id (\S+): ') { $Matches[1] }
            })

        $images.Prompt | Should -Be $Prompts
        $promptOf = @{}
        Get-Generation | ForEach-Object { $promptOf[$_.id] = $_.body.prompt }
        $promptOf.Count | Should -Be 8
        $finishedIds | Should -HaveCount 8
        $finished = $finishedIds | ForEach-Object { $promptOf[$_] }
        ($finished -join ',') | Should -Not -Be ($Prompts -join ',') -Because 'requests finished in another order than they were piped'
        $finished[-1] | Should -BeIn $Prompts[0..3] -Because 'the delayed request ran alongside the later ones, which finished before it'
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
        Add-FakeFault $Fake @{ status = 429; code = 'RateLimitExceeded'; retryAfter = '2' }

        $stream = $Prompts | New-SeedreamImage -ThrottleLimit 2 -Verbose 4>&1
        $images = @($stream | Where-Object { $_ -is [Seedream.SeedreamImage] })

        $images.Prompt | Should -Be $Prompts
        $requests = Get-Generation
        $requests | Should -HaveCount 9
        $limited = [array]::FindIndex([object[]]$requests, [Predicate[object]] { param($r) $r.status -eq 429 })
        $limited | Should -BeGreaterOrEqual 0
        $prompt = $requests[$limited].body.prompt
        $retry = [array]::FindIndex([object[]]$requests, $limited + 1, [Predicate[object]] { param($r) $r.body.prompt -eq $prompt })
        $retry | Should -BeGreaterThan $limited
        # The fake's own clock against the Retry-After it sent: after the 429, only the request already in flight, and
        # what the free slot may have sent before the client had the 429's headers in hand (one, rarely two on a busy
        # machine), arrive within the 2 s (1.5 s allows for clock granularity). Without a shared pause the free slot
        # sends the remaining prompts at once: 6 or 7 arrive in that window.
        $limitedAt = [DateTimeOffset]$requests[$limited].receivedAt
        $early = @($requests | Select-Object -Skip ($limited + 1) | Where-Object { ([DateTimeOffset]$_.receivedAt - $limitedAt).TotalSeconds -lt 1.5 })
        $early.Count | Should -BeLessOrEqual 3
        @($stream | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -match 'HTTP 429 RateLimitExceeded\); retrying in 2 s' }) |
            Should -HaveCount 1
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

        # Let the fake notice the closed connections; a release now reaches only a stream that is still open.
        Start-Sleep -Milliseconds 500
        1..4 | ForEach-Object { Send-FakeRelease $Fake }
        Start-Sleep -Milliseconds 500
        $requests = Get-Generation
        $requests | Should -HaveCount 4 -Because 'no request starts after the stop'
        $requests.eventsSent | Should -Be @(0, 0, 0, 0)
        $requests | Where-Object { $null -ne $_.holdReleased } | Should -BeNullOrEmpty -Because 'every held stream had been abandoned by the client'
    }

    It 'imports without making an HttpClient, then reuses one HttpClient across calls and cmdlets' {
        $pwsh = if ((Split-Path ([Environment]::ProcessPath) -Leaf) -like 'dotnet*') { @([Environment]::ProcessPath, (Join-Path $PSHOME 'pwsh.dll')) } else { @([Environment]::ProcessPath) }
        $folder = Join-Path $TestDrive 'reuse'
        $script = {
            param($Manifest, $Folder)
            $ProgressPreference = 'SilentlyContinue'
            $before = [AppDomain]::CurrentDomain.GetAssemblies().GetName().Name
            Import-Module $Manifest
            $null = Get-SeedreamModel
            $loaded = [AppDomain]::CurrentDomain.GetAssemblies().GetName().Name | Where-Object { $_ -notin $before }
            $cache = [Seedream.Api.HttpClientCache].GetField('Clients', [Reflection.BindingFlags]'NonPublic, Static').GetValue($null)
            $afterImport = $cache.Count
            $null = New-SeedreamImage -Prompt 'one' | Save-SeedreamResult -Path $Folder
            $null = Edit-SeedreamImage -Prompt 'two' -Image 'https://img.example/a.png' | Save-SeedreamResult -Path $Folder
            [pscustomobject]@{ Loaded = @($loaded); AfterImport = $afterImport; AfterCalls = $cache.Count } | ConvertTo-Json -Compress
        }
        $encoded = [Convert]::ToBase64String([Text.Encoding]::Unicode.GetBytes("& { $script } '$Manifest' '$folder'"))

        $json = & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -EncodedCommand $encoded
        $result = $json | ConvertFrom-Json

        $result.AfterImport | Should -Be 0 -Because 'nothing network-related is built at import'
        $result.AfterCalls | Should -Be 1 -Because 'two generations and two downloads share one HttpClient'
        $result.Loaded | Should -Not -Contain 'System.Net.Http'
        $result.Loaded | Should -Not -Contain 'System.Text.Json'
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

    It 'writes the results of requests already sent before a batch-stopping error ends the command' {
        Add-FakeFault $Fake @{ status = 401 }
        $results = [System.Collections.Generic.List[object]]::new()
        $failure = Get-Refusal { $Prompts | New-SeedreamImage -ThrottleLimit 4 | ForEach-Object { $results.Add($_) } }
        $failure.FullyQualifiedErrorId | Should -BeLike 'Seedream.Authentication*'
        $sent = Get-Generation
        $sent.Count | Should -BeLessThan $Prompts.Count
        # Every request that was answered 200 reached the pipeline; only the 401 produced nothing.
        $results | Should -HaveCount (@($sent | Where-Object status -EQ 200).Count)
        $results.Count | Should -Be ($sent.Count - 1)
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
