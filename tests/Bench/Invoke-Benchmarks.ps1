<#
.SYNOPSIS
    Benchmarks the module against the fake Seedream API and prints a table, each row with its goal.
.DESCRIPTION
    Called by build.ps1 -Task Bench; not part of Test, and nothing here is asserted. Every measurement runs in a
    fresh pwsh (BenchChild.ps1) so import, memory and connection state start clean. Rows (-Rows picks some):
      Import        Import-Module in a fresh pwsh minus a bare pwsh, wall and CPU, median of -Pairs interleaved pairs.  Goal <= 150 ms.
      FirstRequest  Import-Module + the first New-SeedreamImage (zero-latency fake) minus bare pwsh: what a user waits for.
      Throughput    64 edits with the fake answering after 500 ms at -ThrottleLimit 1 and 8.  Goal <= 1.3 x ideal at 8.
      Overhead      Per request, zero-latency fake: cold (the first request of a fresh process, median of 5) and steady,
                    New-SeedreamImage against a compiled C# HttpClient loop and a PowerShell HttpClient loop posting the
                    same body; steady also with the default $ProgressPreference (the four interleaved over five rounds,
                    medians).  Goals: steady <= 1.5 x the script
                    loop; default progress <= 1.2 x silent.
      Fusion        10 local references (56 MB of PNG): whole-process peak above the same tool doing one small request,
                    against the reference bytes; beside Invoke-RestMethod with a hand-built body.  Goal <= 0.5 x.
      Fusion14      14 x 10 MB references (BytePlus, 4.5): the whole process's peak.  Goal <= 400 MB.
      Sequence      15 x 2048x2048 b64_json streamed, saved: peak above one small request, against one image; also 5
                    images (flat as the count grows); beside Invoke-RestMethod.  Goal <= 4 x one image.
      Unstreamed    4 x 4096x4096 b64_json, saved: peak above one small request, against the decoded bytes; beside
                    Invoke-RestMethod.  Goal <= 1.1 x.
      FirstImage    Time to the first image of a 4-image sequence with and without -Stream (1 s per image).
    The module's memory rows set the median peak of -PeakRuns fresh processes doing the work against the median of as
    many doing one small request (5), and show both ranges; the Invoke-RestMethod comparisons run once.
    The load average is printed with the table, at the start and the end.
.EXAMPLE
    dotnet pwsh ./build.ps1 -Task Bench
.EXAMPLE
    dotnet pwsh ./build.ps1 -Task Bench -BenchRows Fusion, Sequence
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $FakeApiPath,
    [ValidateSet('Import', 'FirstRequest', 'Throughput', 'Overhead', 'Fusion', 'Fusion14', 'Sequence', 'Unstreamed', 'FirstImage')]
    [string[]] $Rows = @('Import', 'FirstRequest', 'Throughput', 'Overhead', 'Fusion', 'Fusion14', 'Sequence', 'Unstreamed', 'FirstImage'),
    [int] $Pairs = 15,
    [int] $OverheadRequests = 300,
    [int] $ImageBytes = 6 * 1024 * 1024,
    [int] $SequenceImageBytes = 12 * 1024 * 1024,
    [int] $SecondsPerImage = 1,
    [int] $PeakRuns = 5
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
$ModulePath = (Resolve-Path $ModulePath).Path
$FakeApiPath = (Resolve-Path $FakeApiPath).Path
$child = Join-Path $PSScriptRoot 'BenchChild.ps1'
Import-Module (Join-Path $PSScriptRoot '../Pester/Seedream.TestHelpers.psm1') -Force

# Under 'dotnet pwsh' the process is dotnet and PowerShell is pwsh.dll in $PSHOME; elsewhere it is the pwsh executable.
$pwsh = if ((Split-Path ([Environment]::ProcessPath) -Leaf) -like 'dotnet*') { @([Environment]::ProcessPath, (Join-Path $PSHOME 'pwsh.dll')) } else { @([Environment]::ProcessPath) }

function Invoke-Pwsh {
    param([string[]] $Arguments)
    $output = & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive @Arguments
    if ($LASTEXITCODE -ne 0) { throw "pwsh $($Arguments -join ' ') failed ($LASTEXITCODE): $output" }
    $output
}

function Invoke-Scenario {
    param([string] $Scenario, [hashtable] $Parameters = @{})
    $arguments = @('-File', $child, '-Scenario', $Scenario, '-ModulePath', $ModulePath)
    foreach ($key in $Parameters.Keys) {
        $value = $Parameters[$key]
        if ($value -is [switch] -or $value -is [bool]) { if ($value) { $arguments += "-$key" } }
        else { $arguments += "-$key", "$value" }
    }
    $output = @(Invoke-Pwsh $arguments)
    $output[-1] | ConvertFrom-Json
}

function Get-Median {
    param([double[]] $Values)
    $sorted = @($Values | Sort-Object)
    if ($sorted.Count % 2) { $sorted[($sorted.Count - 1) / 2] } else { ($sorted[$sorted.Count / 2 - 1] + $sorted[$sorted.Count / 2]) / 2 }
}

# A fresh pwsh running $Command: its wall time from outside and its CPU time as it reports it at the end.
function Measure-Pwsh {
    param([string] $Command)
    $clock = [Diagnostics.Stopwatch]::StartNew()
    $cpu = @(Invoke-Pwsh @('-c', "$Command; [Diagnostics.Process]::GetCurrentProcess().TotalProcessorTime.TotalMilliseconds"))[-1]
    [pscustomobject]@{ Wall = $clock.Elapsed.TotalMilliseconds; Cpu = [double]$cpu }
}

# -Pairs interleaved pairs of a bare pwsh and one running $Command; the medians of the differences.
function Measure-OverBare {
    param([string] $Command)
    $null = Measure-Pwsh '$null = 1'; $null = Measure-Pwsh $Command
    $wall = @(); $cpu = @(); $bareWall = @(); $bareCpu = @()
    for ($i = 0; $i -lt $Pairs; $i++) {
        $bare = Measure-Pwsh '$null = 1'
        $with = Measure-Pwsh $Command
        $wall += $with.Wall - $bare.Wall; $cpu += $with.Cpu - $bare.Cpu
        $bareWall += $bare.Wall; $bareCpu += $bare.Cpu
    }
    [pscustomobject]@{ Wall = Get-Median $wall; Cpu = Get-Median $cpu; BareWall = Get-Median $bareWall; BareCpu = Get-Median $bareCpu }
}

function Get-LastGenerationBody {
    param($Fake)
    $body = @(Get-FakeRequest $Fake -Target generate)[-1].body
    ConvertTo-Json -InputObject $body -Depth 10 -Compress
}

function Get-Load { if (Test-Path /proc/loadavg) { ((Get-Content /proc/loadavg) -split ' ')[0..2] -join ' ' } else { 'unknown' } }

$table = [Collections.Generic.List[object]]::new()
function Add-Row {
    param([string] $Benchmark, [string] $Result, [string] $Goal, [Nullable[bool]] $Met)
    $table.Add([pscustomobject]@{ Benchmark = $Benchmark; Result = $Result; Goal = $Goal; Met = if ($null -eq $Met) { '-' } elseif ($Met) { 'yes' } else { 'NO' } })
}

function Format-MB([double] $Bytes) { '{0:N1} MB' -f ($Bytes / 1MB) }

$work = Join-Path ([IO.Path]::GetTempPath()) ("seedream-bench-" + [Guid]::NewGuid().ToString('N').Substring(0, 8))
New-Item -ItemType Directory -Path $work | Out-Null
$fake = Start-FakeSeedreamApi -Path $FakeApiPath
$env:SEEDREAM_BASE_URI = $fake.ApiV1
$env:SEEDREAM_API_KEY = $fake.ApiKey
$env:SEEDREAM_BENCH_BYTEPLUS_URI = $fake.ApiBytePlus
$env:POWERSHELL_TELEMETRY_OPTOUT = '1'
$manifest = Join-Path $ModulePath 'Seedream.psd1'
$loadBefore = Get-Load
$step = 0
function Write-Step([string] $Text) { $script:step++; Write-Host "$script:step/$($Rows.Count) $Text (load $(Get-Load))" }

# Peak of one piece of work in a fresh process, above the same tool doing one small request. With -Runs, both are
# measured that many times, each in its own process, and the median of the work's peaks is set against the median of the
# small request's: the garbage a GC has not yet returned at the peak varies from process to process (the small request
# alone lands about 10 MB apart from one process to the next), and a difference of single runs carries both errors.
function Measure-Peak {
    param([string] $Tool, [string] $Work, [hashtable] $Parameters = @{}, [int] $PaddingBytes = 0, [int] $Runs = 1)
    $measured = for ($i = 0; $i -lt $Runs; $i++) {
        $out = Join-Path $work ("out-" + [Guid]::NewGuid().ToString('N').Substring(0, 8))
        $null = New-Item -ItemType Directory -Path $out
        Reset-FakeSeedreamApi $fake
        $small = Invoke-Scenario 'Peak' @{ Tool = $Tool; Work = 'Small'; OutputPath = $out }
        Remove-Item (Join-Path $out '*') -Force
        Reset-FakeSeedreamApi $fake
        if ($PaddingBytes) { Set-FakeSetting $fake -ImagePaddingBytes $PaddingBytes }
        $run = Invoke-Scenario 'Peak' (@{ Tool = $Tool; Work = $Work; OutputPath = $out } + $Parameters)
        Reset-FakeSeedreamApi $fake
        Remove-Item $out -Recurse -Force
        Write-Host ('    {0} {1}, run {2}: one small request {3}, the work {4}' -f $Tool, $Work, ($i + 1), (Format-MB $small.Peak), (Format-MB $run.Peak))
        [pscustomobject]@{ Small = $small.Peak; Peak = $run.Peak; References = $run.References; Received = $run.Received; Images = $run.Images }
    }
    $middle = [int][Math]::Floor(($Runs - 1) / 2)
    $smalls = @($measured | Sort-Object Small)
    $works = @($measured | Sort-Object Peak)
    $range = { param($values) if ($values.Count -eq 1) { Format-MB $values[0] } else { '{0} to {1}' -f (Format-MB $values[0]), (Format-MB $values[-1]) } }
    [pscustomobject]@{
        Small = $smalls[$middle].Small; Peak = $works[$middle].Peak; Above = $works[$middle].Peak - $smalls[$middle].Small
        References = $works[$middle].References; Received = $works[$middle].Received; Images = $works[$middle].Images
        # How far single processes stray, for the table.
        Spread = if ($Runs -gt 1) { 'median of {0}: small request {1}, the work {2}' -f $Runs, (& $range @($smalls.Small)), (& $range @($works.Peak)) } else { '' }
    }
}

function New-References([string] $Folder, [int] $Count, [int] $Bytes) {
    $null = New-Item -ItemType Directory -Path $Folder
    for ($i = 1; $i -le $Count; $i++) { $null = New-TestImageFile -Path (Join-Path $Folder ('ref{0:D2}.png' -f $i)) -Width 2048 -Height 2048 -PadBytes ($Bytes - 33) }
    $Folder
}

try {
    # The body New-SeedreamImage -Prompt 'a red fox in the snow' sends, as the fake recorded it (for the plain loops).
    $null = New-Item -ItemType Directory -Path (Join-Path $work 'body') -Force
    $bodyPath = Join-Path $work 'body/text-to-image.json'
    Reset-FakeSeedreamApi $fake
    $null = Invoke-Pwsh @('-c', "`$ProgressPreference = 'SilentlyContinue'; Import-Module '$manifest'; `$null = New-SeedreamImage -Prompt 'a red fox in the snow'")
    [IO.File]::WriteAllText($bodyPath, (Get-LastGenerationBody $fake))
    Reset-FakeSeedreamApi $fake

    if ('Import' -in $Rows) {
        Write-Step "import ($Pairs pairs)"
        $import = Measure-OverBare "Import-Module '$manifest'"
        Add-Row "Import-Module over bare pwsh (median of $Pairs pairs)" ('{0:N0} ms wall, {1:N0} ms CPU (bare pwsh {2:N0} ms wall, {3:N0} ms CPU)' -f $import.Wall, $import.Cpu, $import.BareWall, $import.BareCpu) '<= 150 ms' ($import.Wall -le 150)
    }

    if ('FirstRequest' -in $Rows) {
        Write-Step "import + first request ($Pairs pairs)"
        $first = Measure-OverBare "Import-Module '$manifest'; `$null = New-SeedreamImage -Prompt 'a red fox in the snow'"
        Reset-FakeSeedreamApi $fake
        Add-Row "Import-Module + first New-SeedreamImage over bare pwsh (median of $Pairs pairs)" ('{0:N0} ms wall, {1:N0} ms CPU' -f $first.Wall, $first.Cpu) '(what a user waits for)' $null
    }

    if ('Throughput' -in $Rows) {
        Set-FakeSetting $fake -LatencyMs 500
        foreach ($limit in 1, 8) {
            if ($limit -eq 1) { Write-Step '64 edits at -ThrottleLimit 1 and 8' }
            $run = Invoke-Scenario 'Throughput' @{ Count = 64; ThrottleLimit = $limit }
            $ideal = 64 * 0.5 / $limit
            $ratio = $run.Seconds / $ideal
            $goal = if ($limit -eq 8) { '<= 1.3 x ideal' } else { '(reference)' }
            $met = if ($limit -eq 8) { $ratio -le 1.3 } else { $null }
            Add-Row "64 edits, 500 ms latency, -ThrottleLimit $limit" ('{0:N2} s = {1:N2} x ideal {2:N1} s ({3} results)' -f $run.Seconds, $ratio, $ideal, $run.Results) $goal $met
        }
        Reset-FakeSeedreamApi $fake
    }

    if ('Overhead' -in $Rows) {
        Write-Step "per-request overhead (cold: 5 fresh processes a tool; steady: $OverheadRequests requests)"
        $cold = @{}
        foreach ($tool in 'Module', 'Script', 'Compiled') {
            $cold[$tool] = Get-Median @(1..5 | ForEach-Object { (Invoke-Scenario 'Cold' @{ Tool = $tool; BodyPath = $bodyPath }).Ms })
        }
        Reset-FakeSeedreamApi $fake
        $steady = Invoke-Scenario 'Overhead' @{ Count = $OverheadRequests; BodyPath = $bodyPath }
        Reset-FakeSeedreamApi $fake
        Add-Row 'Per request, cold (first of a fresh process, median of 5): New-SeedreamImage vs compiled C# vs script HttpClient' ('{0:N0} ms vs {1:N0} ms vs {2:N0} ms' -f $cold.Module, $cold.Compiled, $cold.Script) '(reference)' $null
        $ratio = $steady.ModuleMs / $steady.ScriptMs
        Add-Row 'Per request, steady, zero-latency fake: New-SeedreamImage vs compiled C# vs script HttpClient' ('{0:N2} ms ({1:N2} ms CPU) vs {2:N2} ms vs {3:N2} ms = {4:N2} x script, {5:N2} x C#' -f $steady.ModuleMs, $steady.ModuleCpuMs, $steady.CompiledMs, $steady.ScriptMs, $ratio, ($steady.ModuleMs / $steady.CompiledMs)) '<= 1.5 x script' ($ratio -le 1.5)
        $progress = $steady.ProgressMs / $steady.ModuleMs
        Add-Row '  same, default $ProgressPreference (Continue)' ('{0:N2} ms ({1:N2} ms CPU) = {2:N2} x silent ({3:N2} x its CPU)' -f $steady.ProgressMs, $steady.ProgressCpuMs, $progress, ($steady.ProgressCpuMs / $steady.ModuleCpuMs)) '<= 1.2 x silent' ($progress -le 1.2)
    }

    if ('Fusion' -in $Rows) {
        Write-Step 'fusion, 10 references of 5.6 MB'
        $refs = New-References (Join-Path $work 'refs10') 10 (5600 * 1000)
        $module = Measure-Peak Module Fusion @{ ReferencePath = $refs } -Runs $PeakRuns
        $irm = Measure-Peak RestMethod Fusion @{ ReferencePath = $refs }
        $ratio = $module.Above / $module.References
        Add-Row 'Fusion of 10 references (56 MB of PNG): whole-process peak above one small request, Edit-SeedreamImage' ('{0} above {1} = {2:N2} x the reference bytes ({3}; {4})' -f (Format-MB $module.Above), (Format-MB $module.Small), $ratio, (Format-MB $module.References), $module.Spread) '<= 0.5 x' ($ratio -le 0.5)
        Add-Row '  same: [Convert]::ToBase64String + ConvertTo-Json + Invoke-RestMethod' ('{0} above {1} = {2:N2} x' -f (Format-MB $irm.Above), (Format-MB $irm.Small), ($irm.Above / $irm.References)) '(comparison)' $null
        Remove-Item $refs -Recurse -Force
    }

    if ('Fusion14' -in $Rows) {
        Write-Step 'fusion, 14 references of 10 MB'
        $refs = New-References (Join-Path $work 'refs14') 14 10000000
        $module = Measure-Peak Module Fusion14 @{ ReferencePath = $refs } -Runs $PeakRuns
        $irm = Measure-Peak RestMethod Fusion14 @{ ReferencePath = $refs }
        Add-Row 'Fusion of 14 x 10 MB references (BytePlus, 4.5): whole-process peak, Edit-SeedreamImage' ('{0} ({1} above one small request; {2})' -f (Format-MB $module.Peak), (Format-MB $module.Above), $module.Spread) '<= 400 MB' ($module.Peak -le 400MB)
        Add-Row '  same: [Convert]::ToBase64String + ConvertTo-Json + Invoke-RestMethod' ('{0} ({1} above one small request)' -f (Format-MB $irm.Peak), (Format-MB $irm.Above)) '(comparison)' $null
        Remove-Item $refs -Recurse -Force
    }

    if ('Sequence' -in $Rows) {
        Write-Step 'streamed b64_json sequences, 5 and 15 x 2048x2048'
        $results = @{}
        foreach ($count in 5, 15) { $results[$count] = Measure-Peak Module Sequence @{ Count = $count } -PaddingBytes $SequenceImageBytes -Runs $PeakRuns }
        $irm = Measure-Peak RestMethod Sequence @{ Count = 15 } -PaddingBytes $SequenceImageBytes
        $one = $results[15].Received / [Math]::Max(1, $results[15].Images)
        $ratio = $results[15].Above / $one
        Add-Row 'Streamed 15 x 2048x2048 b64_json, saved: whole-process peak above one small request, New-SeedreamImage -Stream' ('{0} = {1:N2} x one image ({2}; {3} images; {4})' -f (Format-MB $results[15].Above), $ratio, (Format-MB $one), $results[15].Images, $results[15].Spread) '<= 4 x one image' ($ratio -le 4)
        Add-Row '  same with 5 images (flat as the count grows)' ('{0} = {1:N2} x one image ({2} images; {3})' -f (Format-MB $results[5].Above), ($results[5].Above / $one), $results[5].Images, $results[5].Spread) '15 images <= 1.5 x this' ($results[15].Above -le 1.5 * $results[5].Above)
        Add-Row '  same 15: Invoke-RestMethod (the stream as text) + [Convert]::FromBase64String' ('{0} = {1:N2} x one image ({2} images)' -f (Format-MB $irm.Above), ($irm.Above / $one), $irm.Images) '(comparison)' $null
    }

    if ('Unstreamed' -in $Rows) {
        Write-Step 'unstreamed b64_json, 4 x 4096x4096'
        $module = Measure-Peak Module Unstreamed -PaddingBytes $ImageBytes -Runs $PeakRuns
        $irm = Measure-Peak RestMethod Unstreamed -PaddingBytes $ImageBytes
        $ratio = $module.Above / $module.Received
        Add-Row 'Unstreamed 4 x 4096x4096 b64_json, saved: whole-process peak above one small request, New-SeedreamImage' ('{0} for {1} decoded = {2:N2} x ({3})' -f (Format-MB $module.Above), (Format-MB $module.Received), $ratio, $module.Spread) '<= 1.1 x' ($ratio -le 1.1)
        Add-Row '  same: Invoke-RestMethod + [Convert]::FromBase64String' ('{0} = {1:N2} x' -f (Format-MB $irm.Above), ($irm.Above / $irm.Received)) '(comparison)' $null
    }

    if ('FirstImage' -in $Rows) {
        # The fake takes $SecondsPerImage per image; streamed, each image is sent when made, unstreamed, the answer
        # comes when all four are made.
        Write-Step 'time to first image'
        $perImageMs = $SecondsPerImage * 1000
        Set-FakeSetting $fake -LatencyMs $perImageMs -StreamDelayMs $perImageMs
        $streamed = Invoke-Scenario 'FirstImage' @{ Stream = $true }
        Set-FakeSetting $fake -LatencyMs (4 * $perImageMs) -StreamDelayMs 0
        $whole = Invoke-Scenario 'FirstImage' @{ Stream = $false }
        Add-Row "First of 4 images ($SecondsPerImage s per image): -Stream" ('{0:N2} s (last {1:N2} s, {2} images)' -f $streamed.First, $streamed.Last, $streamed.Images) ('~{0} s, before unstreamed' -f $SecondsPerImage) ($streamed.First -lt $whole.First)
        Add-Row "First of 4 images ($SecondsPerImage s per image): without -Stream" ('{0:N2} s (last {1:N2} s, {2} images)' -f $whole.First, $whole.Last, $whole.Images) '(reference)' $null
    }
}
finally {
    Remove-Item Env:SEEDREAM_BASE_URI, Env:SEEDREAM_API_KEY, Env:SEEDREAM_BENCH_BYTEPLUS_URI -ErrorAction SilentlyContinue
    Stop-FakeSeedreamApi $fake
    Remove-Item $work -Recurse -Force -ErrorAction SilentlyContinue
}

$memory = if (Test-Path /proc/meminfo) { '{0:N1} GB' -f (([long]((Get-Content /proc/meminfo -TotalCount 1) -replace '\D', '')) * 1KB / 1GB) } else { 'unknown' }
$machine = '{0} CPU(s), {1} RAM, {2}, .NET {3}, PowerShell {4}' -f [Environment]::ProcessorCount, $memory,
    [Runtime.InteropServices.RuntimeInformation]::OSDescription.Trim(), [Environment]::Version, $PSVersionTable.PSVersion
Write-Host ''
Write-Host "Machine: $machine"
Write-Host "Load average (1, 5, 15 min): $loadBefore at the start, $(Get-Load) at the end"
$table | Format-Table -AutoSize -Wrap | Out-String -Width 200 | Write-Host
# Markdown for README and the issue note.
Write-Host "| Benchmark | Result | Goal | Met |"
Write-Host "|---|---|---|---|"
foreach ($row in $table) { Write-Host ("| {0} | {1} | {2} | {3} |" -f ($row.Benchmark -replace '\|', '\|'), $row.Result, $row.Goal, $row.Met) }
