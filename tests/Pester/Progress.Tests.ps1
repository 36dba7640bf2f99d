# Issue 14, progress: downloads count bytes (one large download moves), percentages never go backwards, a retry wait
# shows in the bar, and records are written at most every 250 ms, never once per request. Waits here are on events
# (the fake holds a download until released); the one bound on the number of records is derived from the elapsed time
# measured around the call, so a slow machine only loosens it.
Describe 'Progress' {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'TestSetup.ps1')
        . (Join-Path $PSScriptRoot 'ReliabilityHelpers.ps1')
        $script:Folder = Join-Path ([IO.Path]::GetTempPath()) ("seedream-progress-" + [guid]::NewGuid().ToString('N'))
        $null = New-Item -ItemType Directory -Path $Folder

        function Start-Child([string] $Script, [object[]] $Arguments = @()) {
            $ps = New-ChildPowerShell -Script $Script
            foreach ($argument in $Arguments) { $null = $ps.AddArgument($argument) }
            [pscustomobject]@{ PowerShell = $ps; Async = $ps.BeginInvoke() }
        }
        function Complete-Child($Child) {
            try {
                $output = $Child.PowerShell.EndInvoke($Child.Async)
                [pscustomobject]@{ Output = $output; Errors = @($Child.PowerShell.Streams.Error); Progress = @($Child.PowerShell.Streams.Progress) }
            }
            finally { $Child.PowerShell.Dispose() }
        }
        function Assert-NeverBackwards($Records) {
            foreach ($group in $Records | Where-Object RecordType -EQ 'Processing' | Group-Object Activity) {
                $percents = @($group.Group.PercentComplete)
                for ($i = 1; $i -lt $percents.Count; $i++) {
                    $percents[$i] | Should -BeGreaterOrEqual $percents[$i - 1] -Because "$($group.Name) went $($percents -join ', ')"
                }
                $percents | ForEach-Object { $_ | Should -BeLessThan 100 -Because 'only the completed record says 100' }
            }
        }
    }
    AfterAll {
        Remove-Item -LiteralPath $Folder -Recurse -Force -ErrorAction SilentlyContinue
        . (Join-Path $PSScriptRoot 'TestTeardown.ps1')
    }
    BeforeEach { Reset-FakeSeedreamApi $Fake }

    It 'one large download shows its bytes and a percentage between 0 and 100 while it runs' {
        Set-FakeSetting $Fake -ImagePaddingBytes (4MB)
        $image = New-SeedreamImage -Prompt 'large'
        Add-FakeFault $Fake @{ target = 'download'; stallAfterBytes = 2MB }
        $child = Start-Child -Script '$args[0] | Save-SeedreamResult -Path $args[1]' -Arguments $image, (Join-Path $Folder 'large')
        try {
            # Held after 2 MB of about 4 MB: the bar must show bytes counted and a percentage that moved.
            Wait-Until { @($child.PowerShell.Streams.Progress | Where-Object { $_.StatusDescription -match 'downloading [1-9][\d,]* of [\d,]+ bytes' -and $_.PercentComplete -gt 0 }).Count -gt 0 } -Seconds 30
        }
        finally { Send-FakeRelease $Fake }
        $run = Complete-Child $child
        $run.Errors | Should -BeNullOrEmpty
        $moving = @($run.Progress | Where-Object { $_.StatusDescription -match 'downloading' -and $_.PercentComplete -gt 0 })[0]
        $moving.PercentComplete | Should -BeLessThan 100
        $moving.StatusDescription | Should -Match '0 of 1 file\(s\) saved; downloading'
        [long]([regex]::Match($moving.StatusDescription, 'downloading ([\d,]+) of').Groups[1].Value -replace ',', '') | Should -BeGreaterOrEqual (1MB)
        $run.Progress[-1].RecordType | Should -Be 'Completed'
        Assert-NeverBackwards $run.Progress
    }

    It 'never lets a percentage go backwards while more work arrives down the pipeline' {
        Set-FakeSetting $Fake -LatencyMs 300
        $run = Complete-Child (Start-Child -Script "'one', 'two', 'three' | New-SeedreamImage -MaxImages 2 | Save-SeedreamResult -Path `$args[0] -ThrottleLimit 2" -Arguments (Join-Path $Folder 'stream'))
        $run.Errors | Should -BeNullOrEmpty
        @(Get-ChildItem -LiteralPath (Join-Path $Folder 'stream')) | Should -HaveCount 6
        $generating = @($run.Progress | Where-Object Activity -Like 'Seedream: generating*')
        $saving = @($run.Progress | Where-Object Activity -Like 'Seedream: saving*')
        $generating.Count | Should -BeGreaterThan 2
        $saving.Count | Should -BeGreaterThan 1
        Assert-NeverBackwards $run.Progress
        $generating[-1].RecordType | Should -Be 'Completed'
    }

    It 'shows a retry wait in the bar: "waiting N s: rate limited"' {
        Add-FakeFault $Fake @{ status = 429; code = 'RateLimitExceeded.EndpointRPMExceeded'; retryAfter = '3' }
        $child = Start-Child -Script "New-SeedreamImage -Prompt 'wait for it' -MaxRetryCount 1"
        Wait-Until { @($child.PowerShell.Streams.Progress | Where-Object StatusDescription -Match 'waiting [1-3] s: rate limited').Count -gt 0 } -Seconds 30
        $run = Complete-Child $child
        $run.Errors | Should -BeNullOrEmpty
        $run.Output | Should -HaveCount 1
        @(Get-FakeRequest $Fake -Target generate) | Should -HaveCount 2
        $waiting = @($run.Progress | Where-Object StatusDescription -Match 'waiting')
        $waiting[0].StatusDescription | Should -Match '^0 of 1 request\(s\) done, 1 in flight, .*; waiting [1-3] s: rate limited$'
    }

    It 'writes at most one record a quarter second, not one per request' {
        $prompts = 1..40 | ForEach-Object { "prompt $_" }
        $clock = [Diagnostics.Stopwatch]::StartNew()
        $run = Complete-Child (Start-Child -Script '$args[0] | New-SeedreamImage' -Arguments (, $prompts))
        $elapsed = $clock.Elapsed
        $run.Errors | Should -BeNullOrEmpty
        $run.Output | Should -HaveCount 40
        $processing = @($run.Progress | Where-Object RecordType -EQ 'Processing')
        # The first record comes at once; every further one needs a quarter second to have passed.
        $bound = 1 + [Math]::Floor($elapsed.TotalMilliseconds / 250)
        $processing.Count | Should -BeLessOrEqual $bound -Because "40 requests in $([int]$elapsed.TotalMilliseconds) ms allow $bound records"
        $processing.Count | Should -BeGreaterOrEqual 1
        @($run.Progress | Where-Object RecordType -EQ 'Completed') | Should -HaveCount 1
    }
}
