<#
.SYNOPSIS
    Benchmarks the module against the fake Seedream API and prints a table, each row with its goal.
.DESCRIPTION
    Called by build.ps1 -Task Bench; not part of Test, and nothing here is asserted. Every measurement runs in a
    fresh pwsh (BenchChild.ps1) so import, memory and connection state start clean.
      1. Import-Module + Get-SeedreamModel in a fresh pwsh minus a bare 'pwsh -c 1', median of 5.  Goal <= 150 ms.
      2. 64 edits with the fake answering after 500 ms at -ThrottleLimit 1 and 8, against 64 x 0.5 s / N.  Goal <= 1.3 x ideal at 8.
      3. Time per request through New-SeedreamImage against a plain HttpClient loop, zero-latency fake.  Goal <= 1.5 x.
      4. Peak memory above the baseline while receiving and saving a 4-image 4096x4096 b64_json answer, against the
         decoded bytes; also Invoke-RestMethod + [Convert]::FromBase64String for the same answer.  Goal <= 2 x.
      5. Time to the first image of a 4-image sequence with and without -Stream (1 s per image).
.EXAMPLE
    dotnet pwsh ./build.ps1 -Task Bench
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $FakeApiPath,
    [int] $ImportRuns = 5,
    [int] $OverheadRequests = 300,
    [int] $ImageBytes = 6 * 1024 * 1024,
    [int] $SecondsPerImage = 1
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
    $sorted = $Values | Sort-Object
    $sorted[[int][Math]::Floor($sorted.Count / 2)]
}

function Measure-Command-Ms {
    param([string[]] $Arguments)
    $clock = [Diagnostics.Stopwatch]::StartNew()
    $null = Invoke-Pwsh $Arguments
    $clock.Elapsed.TotalMilliseconds
}

function Get-LastGenerationBody {
    param($Fake)
    $body = @(Get-FakeRequest $Fake -Target generate)[-1].body
    ConvertTo-Json -InputObject $body -Depth 10 -Compress
}

$rows = [Collections.Generic.List[object]]::new()
function Add-Row {
    param([string] $Benchmark, [string] $Result, [string] $Goal, [Nullable[bool]] $Met)
    $rows.Add([pscustomobject]@{ Benchmark = $Benchmark; Result = $Result; Goal = $Goal; Met = if ($null -eq $Met) { '-' } elseif ($Met) { 'yes' } else { 'NO' } })
}

$work = Join-Path ([IO.Path]::GetTempPath()) ("seedream-bench-" + [Guid]::NewGuid().ToString('N').Substring(0, 8))
New-Item -ItemType Directory -Path $work | Out-Null
$fake = Start-FakeSeedreamApi -Path $FakeApiPath
$env:SEEDREAM_BASE_URI = $fake.ApiV1
$env:SEEDREAM_API_KEY = $fake.ApiKey
try {
    # 1. Import cost: bare start-up and start-up with the module, interleaved, median of $ImportRuns each.
    Write-Host "1/5 import ($ImportRuns runs each)"
    $manifest = Join-Path $ModulePath 'Seedream.psd1'
    $null = Measure-Command-Ms @('-c', '1')
    $bare = @(); $withModule = @()
    for ($i = 0; $i -lt $ImportRuns; $i++) {
        $bare += Measure-Command-Ms @('-c', '1')
        $withModule += Measure-Command-Ms @('-c', "Import-Module '$manifest'; `$null = Get-SeedreamModel")
    }
    $bareMs = Get-Median $bare
    $importMs = (Get-Median $withModule) - $bareMs
    Add-Row 'Import-Module + Get-SeedreamModel (fresh pwsh minus bare pwsh, median of 5)' ('{0:N0} ms (bare pwsh {1:N0} ms)' -f $importMs, $bareMs) '<= 150 ms' ($importMs -le 150)

    # 2. 64 edits, fake answering after 500 ms.
    Reset-FakeSeedreamApi $fake
    Set-FakeSetting $fake -LatencyMs 500
    foreach ($limit in 1, 8) {
        Write-Host "2/5 64 edits at -ThrottleLimit $limit"
        $run = Invoke-Scenario 'Throughput' @{ Count = 64; ThrottleLimit = $limit }
        $ideal = 64 * 0.5 / $limit
        $ratio = $run.Seconds / $ideal
        $goal = if ($limit -eq 8) { '<= 1.3 x ideal' } else { '(reference)' }
        $met = if ($limit -eq 8) { $ratio -le 1.3 } else { $null }
        Add-Row "64 edits, 500 ms latency, -ThrottleLimit $limit" ('{0:N2} s = {1:N2} x ideal {2:N1} s ({3} results)' -f $run.Seconds, $ratio, $ideal, $run.Results) $goal $met
    }

    # 3. Per-request overhead against a plain HttpClient loop posting the same body.
    Write-Host "3/5 client overhead ($OverheadRequests requests each)"
    $null = New-Item -ItemType Directory -Path (Join-Path $work 'body') -Force
    $bodyPath = Join-Path $work 'body/text-to-image.json'
    # The body New-SeedreamImage -Prompt 'a red fox in the snow' sends, as the fake recorded it.
    Reset-FakeSeedreamApi $fake
    $null = Invoke-Pwsh @('-c', "`$ProgressPreference = 'SilentlyContinue'; Import-Module '$manifest'; `$null = New-SeedreamImage -Prompt 'a red fox in the snow'")
    [IO.File]::WriteAllText($bodyPath, (Get-LastGenerationBody $fake))
    Reset-FakeSeedreamApi $fake
    $overhead = Invoke-Scenario 'Overhead' @{ Count = $OverheadRequests; BodyPath = $bodyPath }
    $ratio = $overhead.ModuleMs / $overhead.PlainMs
    Add-Row 'Per request, zero-latency fake: New-SeedreamImage vs plain HttpClient loop' ('{0:N2} ms vs {1:N2} ms = {2:N2} x ({3} results)' -f $overhead.ModuleMs, $overhead.PlainMs, $ratio, $overhead.Results) '<= 1.5 x' ($ratio -le 1.5)
    Reset-FakeSeedreamApi $fake

    # 4. Peak memory for a 4-image 4096x4096 b64_json answer, images padded to about $ImageBytes each.
    Write-Host '4/5 peak memory, 4 x 4096x4096 b64_json'
    Set-FakeSetting $fake -ImagePaddingBytes $ImageBytes
    $saved = Join-Path $work 'saved'
    $null = New-Item -ItemType Directory -Path $saved
    $module = Invoke-Scenario 'ModuleMemory' @{ OutputPath = $saved }
    [IO.File]::WriteAllText((Join-Path $work 'body/sequence.json'), (Get-LastGenerationBody $fake))
    $moduleRatio = $module.Above / $module.Decoded
    Add-Row 'Peak memory above baseline, 4 x 4096x4096 b64_json (model 4.5): New-SeedreamImage | Save-SeedreamResult' ('{0:N1} MB for {1:N1} MB decoded = {2:N2} x' -f ($module.Above / 1MB), ($module.Decoded / 1MB), $moduleRatio) '<= 2 x' ($moduleRatio -le 2)
    $streamed = Invoke-Scenario 'ModuleMemory' @{ OutputPath = (New-Item -ItemType Directory -Path (Join-Path $work 'saved-stream')).FullName; Stream = $true }
    $streamedRatio = $streamed.Above / $streamed.Decoded
    Add-Row '  same answer streamed: New-SeedreamImage -Stream | Save-SeedreamResult' ('{0:N1} MB for {1:N1} MB decoded = {2:N2} x' -f ($streamed.Above / 1MB), ($streamed.Decoded / 1MB), $streamedRatio) '<= 2 x' ($streamedRatio -le 2)
    $irmOut = Join-Path $work 'irm'
    $null = New-Item -ItemType Directory -Path $irmOut
    $irm = Invoke-Scenario 'RestMethodMemory' @{ BodyPath = (Join-Path $work 'body/sequence.json'); OutputPath = $irmOut }
    $irmRatio = $irm.Above / $irm.Decoded
    Add-Row '  same answer: Invoke-RestMethod + [Convert]::FromBase64String' ('{0:N1} MB for {1:N1} MB decoded = {2:N2} x' -f ($irm.Above / 1MB), ($irm.Decoded / 1MB), $irmRatio) '(comparison)' $null
    Reset-FakeSeedreamApi $fake

    # 5. Time to first image: the fake takes $SecondsPerImage per image; streamed, each image is sent when made,
    #    unstreamed, the answer comes when all four are made.
    Write-Host '5/5 time to first image'
    $perImageMs = $SecondsPerImage * 1000
    Set-FakeSetting $fake -LatencyMs $perImageMs -StreamDelayMs $perImageMs
    $streamed = Invoke-Scenario 'FirstImage' @{ Stream = $true }
    Set-FakeSetting $fake -LatencyMs (4 * $perImageMs) -StreamDelayMs 0
    $whole = Invoke-Scenario 'FirstImage' @{ Stream = $false }
    Add-Row "First of 4 images ($SecondsPerImage s per image): -Stream" ('{0:N2} s (last {1:N2} s, {2} images)' -f $streamed.First, $streamed.Last, $streamed.Images) ('~{0} s, before unstreamed' -f $SecondsPerImage) ($streamed.First -lt $whole.First)
    Add-Row "First of 4 images ($SecondsPerImage s per image): without -Stream" ('{0:N2} s (last {1:N2} s, {2} images)' -f $whole.First, $whole.Last, $whole.Images) '(reference)' $null
}
finally {
    Remove-Item Env:SEEDREAM_BASE_URI, Env:SEEDREAM_API_KEY -ErrorAction SilentlyContinue
    Stop-FakeSeedreamApi $fake
    Remove-Item $work -Recurse -Force -ErrorAction SilentlyContinue
}

$memory = if (Test-Path /proc/meminfo) { '{0:N1} GB' -f (([long]((Get-Content /proc/meminfo -TotalCount 1) -replace '\D', '')) * 1KB / 1GB) } else { 'unknown' }
$machine = '{0} CPU(s), {1} RAM, {2}, .NET {3}, PowerShell {4}' -f [Environment]::ProcessorCount, $memory,
    [Runtime.InteropServices.RuntimeInformation]::OSDescription.Trim(), [Environment]::Version, $PSVersionTable.PSVersion
Write-Host ''
Write-Host "Machine: $machine"
$rows | Format-Table -AutoSize -Wrap | Out-String -Width 200 | Write-Host
# Markdown for README and the issue note.
Write-Host "| Benchmark | Result | Goal | Met |"
Write-Host "|---|---|---|---|"
foreach ($row in $rows) { Write-Host ("| {0} | {1} | {2} | {3} |" -f ($row.Benchmark -replace '\|', '\|'), $row.Result, $row.Goal, $row.Met) }
