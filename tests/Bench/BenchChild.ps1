<#
.SYNOPSIS
    One benchmark scenario, run by Invoke-Benchmarks.ps1 in a fresh pwsh so each measurement has its own process.
    Prints one JSON line with the measurements. The module and the fake API come from the environment
    (SEEDREAM_BASE_URI, SEEDREAM_API_KEY) set by the caller.
#>
param(
    [Parameter(Mandatory)] [ValidateSet('Throughput', 'Overhead', 'ModuleMemory', 'RestMethodMemory', 'FirstImage')]
    [string] $Scenario,
    [string] $ModulePath,
    [int] $Count = 64,
    [int] $ThrottleLimit = 1,
    [string] $BodyPath,
    [string] $OutputPath,
    [switch] $Stream
)
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
$uri = $env:SEEDREAM_BASE_URI.TrimEnd('/') + '/images/generations'

function Import-Seedream { Import-Module (Join-Path $ModulePath 'Seedream.psd1') }

# Peak working set above a baseline taken just before the work. On Linux the kernel's high-water mark is reset
# (clear_refs 5) so Process.PeakWorkingSet64 covers the work only; a sampling runspace backs it up everywhere.
function Measure-PeakMemory {
    param([scriptblock] $Work)
    # The sampler runs before the baseline is taken, so its own runspace is part of the baseline.
    $state = [hashtable]::Synchronized(@{ Run = $true; Started = $false; Peak = 0L })
    $sampler = [powershell]::Create()
    $null = $sampler.AddScript({
            param($State)
            $p = [Diagnostics.Process]::GetCurrentProcess()
            $State.Started = $true
            while ($State.Run) {
                $p.Refresh()
                if ($p.WorkingSet64 -gt $State.Peak) { $State.Peak = $p.WorkingSet64 }
                [Threading.Thread]::Sleep(5)
            }
        }).AddArgument($state)
    $handle = $sampler.BeginInvoke()
    while (-not $state.Started) { Start-Sleep -Milliseconds 10 }
    Start-Sleep -Milliseconds 200
    [GC]::Collect(); [GC]::WaitForPendingFinalizers(); [GC]::Collect()
    $process = [Diagnostics.Process]::GetCurrentProcess()
    $process.Refresh()
    $baseline = $process.WorkingSet64
    $state.Peak = $baseline
    $resetPeak = $false
    if ($IsLinux) { try { [IO.File]::WriteAllText('/proc/self/clear_refs', '5'); $resetPeak = $true } catch { } }
    $result = & $Work
    $state.Run = $false
    $null = $sampler.EndInvoke($handle)
    $sampler.Dispose()
    $process.Refresh()
    $peak = if ($resetPeak) { [Math]::Max($process.PeakWorkingSet64, $state.Peak) } else { $state.Peak }
    [pscustomobject]@{ Baseline = $baseline; Peak = $peak; Above = $peak - $baseline; Result = $result }
}

switch ($Scenario) {
    'Throughput' {
        # $Count edits piped into one Edit-SeedreamImage at -ThrottleLimit $ThrottleLimit.
        Import-Seedream
        $null = Edit-SeedreamImage -Prompt 'warm-up' -Image 'https://img.example/a.png'
        $images = 1..$Count | ForEach-Object { 'https://img.example/{0}.png' -f $_ }
        $clock = [Diagnostics.Stopwatch]::StartNew()
        $results = @($images | Edit-SeedreamImage -Prompt 'make it night' -ThrottleLimit $ThrottleLimit)
        $clock.Stop()
        [pscustomobject]@{ Seconds = $clock.Elapsed.TotalSeconds; Results = $results.Count } | ConvertTo-Json -Compress
    }
    'Overhead' {
        # Per-request time through New-SeedreamImage against a plain HttpClient loop posting the same body.
        Import-Seedream
        $body = [IO.File]::ReadAllBytes($BodyPath)
        $prompts = 1..$Count | ForEach-Object { 'a red fox in the snow' }
        $null = $prompts[0..19] | New-SeedreamImage
        $clock = [Diagnostics.Stopwatch]::StartNew()
        $results = @($prompts | New-SeedreamImage)
        $moduleSeconds = $clock.Elapsed.TotalSeconds

        $http = [Net.Http.HttpClient]::new()
        $send = {
            $request = [Net.Http.HttpRequestMessage]::new([Net.Http.HttpMethod]::Post, $uri)
            $request.Content = [Net.Http.ByteArrayContent]::new($body)
            $request.Content.Headers.ContentType = [Net.Http.Headers.MediaTypeHeaderValue]::new('application/json')
            $request.Headers.Authorization = [Net.Http.Headers.AuthenticationHeaderValue]::new('Bearer', $env:SEEDREAM_API_KEY)
            $response = $http.SendAsync($request).GetAwaiter().GetResult()
            $null = $response.EnsureSuccessStatusCode().Content.ReadAsByteArrayAsync().GetAwaiter().GetResult()
            $response.Dispose(); $request.Dispose()
        }
        for ($i = 0; $i -lt 20; $i++) { & $send }
        $clock.Restart()
        for ($i = 0; $i -lt $Count; $i++) { & $send }
        $plainSeconds = $clock.Elapsed.TotalSeconds
        [pscustomobject]@{ ModuleMs = 1000 * $moduleSeconds / $Count; PlainMs = 1000 * $plainSeconds / $Count; Results = $results.Count } | ConvertTo-Json -Compress
    }
    'ModuleMemory' {
        # A 4-image 4096x4096 b64_json answer received and saved by the module (streamed with -Stream).
        Import-Seedream
        $null = New-SeedreamImage -Prompt 'warm-up' -ResponseFormat Base64Json | Save-SeedreamResult -Path $OutputPath -NameTemplate 'warm-up'
        Remove-Item (Join-Path $OutputPath 'warm-up*')
        $measured = Measure-PeakMemory {
            $files = @(New-SeedreamImage -Prompt 'four large scenes' -Model 4.5 -MaxImages 4 -Size 4096x4096 -ResponseFormat Base64Json -Stream:$Stream |
                    Save-SeedreamResult -Path $OutputPath -PassThru)
            ($files | Measure-Object Length -Sum).Sum
        }
        [pscustomobject]@{ Baseline = $measured.Baseline; Above = $measured.Above; Decoded = $measured.Result } | ConvertTo-Json -Compress
    }
    'RestMethodMemory' {
        # The same answer through Invoke-RestMethod and [Convert]::FromBase64String, written with WriteAllBytes.
        $body = [IO.File]::ReadAllText($BodyPath)
        $headers = @{ Authorization = 'Bearer ' + $env:SEEDREAM_API_KEY }
        $warm = [IO.File]::ReadAllText($BodyPath) -replace '"max_images":4', '"max_images":1' -replace '4096x4096', '2048x2048'
        $null = Invoke-RestMethod -Method Post -Uri $uri -Body $warm -ContentType 'application/json' -Headers $headers -NoProxy
        $measured = Measure-PeakMemory {
            $answer = Invoke-RestMethod -Method Post -Uri $uri -Body $body -ContentType 'application/json' -Headers $headers -NoProxy
            $total = 0
            $i = 0
            foreach ($slot in $answer.data) {
                $bytes = [Convert]::FromBase64String($slot.b64_json)
                [IO.File]::WriteAllBytes((Join-Path $OutputPath "irm-$i.jpeg"), $bytes)
                $total += $bytes.Length
                $i++
            }
            $total
        }
        [pscustomobject]@{ Baseline = $measured.Baseline; Above = $measured.Above; Decoded = $measured.Result } | ConvertTo-Json -Compress
    }
    'FirstImage' {
        Import-Seedream
        $null = New-SeedreamImage -Prompt 'warm-up' -Stream:$Stream
        $clock = [Diagnostics.Stopwatch]::StartNew()
        $arrivals = @(New-SeedreamImage -Prompt 'a four-panel storyboard' -MaxImages 4 -Stream:$Stream | ForEach-Object { $clock.Elapsed.TotalSeconds })
        [pscustomobject]@{ First = $arrivals[0]; Last = $arrivals[-1]; Images = $arrivals.Count } | ConvertTo-Json -Compress
    }
}
