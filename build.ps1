#Requires -Version 7.2
<#
.SYNOPSIS
    Builds, tests, demonstrates, packages and benchmarks the Seedream module.
.DESCRIPTION
    Tasks:
      Build    (default) writes an importable module to out/Seedream.
      Test     builds, runs the xUnit and Pester suites, prints 'N passed, N failed', exits non-zero on failure.
      TestDesktop  builds, then runs tests/Seedream.DesktopTests (net472) on Mono against the fake API with the module's
               shipped DLLs, as Windows PowerShell loads them; prints 'N passed, N failed'. Needs Mono (.ci/run installs it).
      Demo     builds, then runs a real pipeline (generate, edit, a streamed sequence, save) on the module's built-in
               simulator: no key, no network, nothing billed. The images land under out/demo.
      Package  writes a PowerShell Gallery package (Seedream.<version>.nupkg) under out/.
      Bench    runs the benchmarks against the fake API and prints a table (not part of Test); -BenchRows runs some
               rows only (Import, FirstRequest, Throughput, Overhead, Fusion, Fusion14, Sequence, Unstreamed, FirstImage).
      Mutate   runs Stryker.NET (dotnet-stryker, pinned in .config/dotnet-tools.json) over the xUnit-tested layers of
               src/Seedream (-Layer Api, Catalog, Imaging) and prints the mutation score per layer (not part of Test).
    Everything comes from NuGet through dotnet; nothing else is fetched.
.EXAMPLE
    dotnet tool restore && dotnet pwsh ./build.ps1
.EXAMPLE
    dotnet pwsh ./build.ps1 -Task Test
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'TestDesktop', 'Demo', 'Package', 'Bench', 'Mutate')]
    [string] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    # -Task Mutate: the folders of src/Seedream whose code is mutated (Api, Catalog, Imaging; 'Api,Catalog' from a shell),
    # or single files of them ('Catalog/ModelCatalog.cs') for a run that fits in the time at hand.
    [ValidatePattern('^(((Api|Catalog|Imaging)(/\w+(\.\w+)*\.cs)?),?)+$')]
    [string[]] $Layer = @('Api', 'Catalog', 'Imaging'),

    # Bench only: the rows to run (all when not given).
    [string[]] $BenchRows
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
$Root = $PSScriptRoot
$Out = Join-Path $Root 'out'
$ModuleOut = Join-Path $Out 'Seedream'
$FakeApiOut = Join-Path $Out 'fakeapi'
$PesterVersion = '5.7.1'

function Get-PwshCommand {
    # Under 'dotnet pwsh' the process is dotnet and PowerShell is pwsh.dll in $PSHOME; elsewhere it is the pwsh executable.
    if ((Split-Path ([Environment]::ProcessPath) -Leaf) -like 'dotnet*') { , @([Environment]::ProcessPath, (Join-Path $PSHOME 'pwsh.dll')) }
    else { , @([Environment]::ProcessPath) }
}

function Invoke-Dotnet {
    # A plain function (no [Parameter]) so arguments such as -o pass through untouched.
    & dotnet @args
    if ($LASTEXITCODE -ne 0) { throw "dotnet $($args -join ' ') failed with exit code $LASTEXITCODE." }
}

function Invoke-Build {
    Write-Host "Building the module ($Configuration) into $ModuleOut"
    $publish = Join-Path $Out 'publish'
    Invoke-Dotnet publish (Join-Path $Root 'src/Seedream/Seedream.csproj') -c $Configuration -o $publish --nologo -v quiet
    if (Test-Path $ModuleOut) { Remove-Item $ModuleOut -Recurse -Force }
    New-Item -ItemType Directory -Path $ModuleOut | Out-Null
    Get-ChildItem $publish -Filter '*.dll' |
        Where-Object Name -NotIn 'System.Management.Automation.dll', 'Microsoft.PowerShell.CoreCLR.Eventing.dll' |
        Copy-Item -Destination $ModuleOut
    Copy-Item (Join-Path $Root 'Seedream.psd1') $ModuleOut
    Copy-Item (Join-Path $Root 'src/Seedream/Seedream.Format.ps1xml') $ModuleOut
    Copy-Item (Join-Path $Root 'src/Seedream/Seedream.Types.ps1xml') $ModuleOut
    # The model catalog is data beside the assembly, read on first use (CONTRIBUTING.md, 'The model catalog').
    Copy-Item (Join-Path $Root 'src/Seedream/Catalog/catalog.json') $ModuleOut
    Copy-Item (Join-Path $Root 'en-US') $ModuleOut -Recurse
    # The cmdlet help is generated from docs/en-US/*.md (the editable source); the MAML is not committed.
    & (Join-Path $Root '.build/Build-Help.ps1') -DocsPath (Join-Path $Root 'docs/en-US') -OutputFile (Join-Path $ModuleOut 'en-US/Seedream.dll-Help.xml')
    Copy-Item (Join-Path $Root 'LICENSE') $ModuleOut

    Write-Host "Building the fake Seedream API into $FakeApiOut"
    Invoke-Dotnet build (Join-Path $Root 'tests/Seedream.FakeApi/Seedream.FakeApi.csproj') -c $Configuration -o $FakeApiOut --nologo -v quiet
    $null = Test-ModuleManifest (Join-Path $ModuleOut 'Seedream.psd1')
    Write-Host "Module ready: Import-Module $ModuleOut"
}

function Get-PesterModule {
    $packages = Join-Path $Out 'packages'
    $manifest = Join-Path $packages "pester/$PesterVersion/tools/Pester.psd1"
    if (-not (Test-Path $manifest)) {
        Write-Host "Restoring Pester $PesterVersion from NuGet"
        Invoke-Dotnet restore (Join-Path $Root 'tests/Pester/Restore/Pester.Restore.csproj') --packages $packages --nologo -v quiet
    }
    $manifest
}

function Invoke-Test {
    Invoke-Build
    $results = Join-Path $Out 'test-results'
    if (Test-Path $results) { Remove-Item $results -Recurse -Force }
    New-Item -ItemType Directory -Path $results | Out-Null

    # Counting that cannot under-report (.build/TestCounts.ps1): a crashed test host, a trx outcome other than
    # Completed, a non-zero exit code, a Pester file that fails to load (each of its tests), NotRun and Inconclusive
    # all count as failures, and each suite's reported total is compared with what it discovered.
    . (Join-Path $Root '.build/TestCounts.ps1')
    Write-Host 'Running xUnit tests'
    $xunit = Invoke-XunitSuite -Project (Join-Path $Root 'tests/Seedream.Tests/Seedream.Tests.csproj') -Configuration $Configuration `
        -ResultsDirectory $results

    Write-Host 'Running Pester tests'
    $pester = Get-PesterModule
    $summary = Join-Path $results 'pester.json'
    $pwsh = Get-PwshCommand
    & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -File (Join-Path $Root 'tests/Pester/Invoke-PesterSuite.ps1') `
        -PesterManifest $pester -ModulePath $ModuleOut -FakeApiPath $FakeApiOut -SummaryPath $summary
    $pesterCount = Read-PesterCount -SummaryPath $summary -ExitCode $LASTEXITCODE

    $failed = Write-TestCounts -Counts $xunit, $pesterCount
    if ($failed -gt 0) { exit 1 }
}

function Invoke-TestDesktop {
    # The desktop-runtime lane: the module's netstandard2.0 build on a .NET Framework-like runtime (Mono), loaded from
    # out/Seedream with the DLLs it ships. Mono's HttpClientHandler is switched to its HttpWebRequest-based handler,
    # the closest it has to .NET Framework's. See CONTRIBUTING.md for what this lane can and cannot prove.
    $mono = Get-Command mono -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
    if (-not $mono) { throw 'Mono is not installed (apt-get install --no-install-recommends mono-devel); .ci/run installs it.' }
    Invoke-Build
    $testsOut = Join-Path $Out 'desktoptests'
    Write-Host 'Building the desktop tests (net472)'
    Invoke-Dotnet build (Join-Path $Root 'tests/Seedream.DesktopTests/Seedream.DesktopTests.csproj') -c $Configuration -o $testsOut `
        --nologo -v quiet "-p:SeedreamModulePath=$ModuleOut$([IO.Path]::DirectorySeparatorChar)"
    $results = Join-Path $Out 'test-results'
    New-Item -ItemType Directory -Path $results -Force | Out-Null
    $xml = Join-Path $results 'desktop.xml'
    Remove-Item $xml -ErrorAction SilentlyContinue

    Write-Host "Running the desktop tests on $(& $mono.Source --version | Select-Object -First 1)"
    $saved = @{}
    $environment = @{
        SEEDREAM_DESKTOP_MODULE      = $ModuleOut
        SEEDREAM_DESKTOP_FAKEAPI     = Join-Path $FakeApiOut 'Seedream.FakeApi.dll'
        SEEDREAM_DESKTOP_DOTNET      = (Get-Command dotnet -CommandType Application | Select-Object -First 1).Source
        XA_HTTP_CLIENT_HANDLER_TYPE  = 'System.Net.Http.MonoWebRequestHandler'
    }
    foreach ($name in $environment.Keys) {
        $saved[$name] = [Environment]::GetEnvironmentVariable($name)
        [Environment]::SetEnvironmentVariable($name, $environment[$name])
    }
    try {
        & $mono.Source --debug (Join-Path $testsOut 'runner/xunit.console.exe') (Join-Path $testsOut 'Seedream.DesktopTests.dll') `
            -xml $xml -noshadow -nologo -maxthreads 2 | Out-Host
    }
    finally {
        foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
    }

    $passed = 0
    $failed = 0
    if (Test-Path $xml) {
        foreach ($assembly in ([xml](Get-Content $xml -Raw)).SelectNodes('/assemblies/assembly')) {
            $passed += [int]$assembly.GetAttribute('passed')
            $failed += [int]$assembly.GetAttribute('failed') + [int]$assembly.GetAttribute('errors')
            if ([int]$assembly.GetAttribute('total') -eq 0) { $failed++ }
        }
    }
    else {
        Write-Warning 'xunit.console wrote no results; counting the desktop lane as one failure.'
        $failed = 1
    }
    Write-Host "$passed passed, $failed failed"
    if ($failed -gt 0) { exit 1 }
}

function Invoke-Mutate {
    # Stryker.NET over the layers tests/Seedream.Tests covers (settings in .build/stryker-config.json: perTest coverage,
    # two test runners, a generous time-out for this 2-core machine). The score counts killed and timed-out mutants
    # against those plus survivors and mutants no test covers; compile errors and ignored mutants are left out.
    $report = Join-Path $Out 'mutation'
    $Layer = @($Layer -split ',' | Where-Object { $_ })
    $arguments = @('tool', 'run', 'dotnet-stryker', '--config-file', (Join-Path $Root '.build/stryker-config.json'),
        '--output', $report, '--skip-version-check', '--log-to-file')
    foreach ($folder in $Layer) { $arguments += '--mutate', $(if ($folder -like '*.cs') { "**/$folder" } else { "**/$folder/**/*.cs" }) }
    Push-Location (Join-Path $Root 'tests/Seedream.Tests')
    try { & dotnet @arguments }
    finally { Pop-Location }
    if ($LASTEXITCODE -ne 0) { throw "dotnet-stryker failed with exit code $LASTEXITCODE." }
    $json = Join-Path $report 'reports/mutation-report.json'
    $files = (Get-Content $json -Raw | ConvertFrom-Json -AsHashtable).files
    $rows = foreach ($folder in $Layer) {
        $pattern = '[\\/]' + [regex]::Escape($folder).Replace('/', '[\\/]') + $(if ($folder -like '*.cs') { '$' } else { '[\\/]' })
        $mutants = @($files.Keys | Where-Object { $_ -match $pattern } | ForEach-Object { $files[$_].mutants })
        $status = $mutants | Group-Object { $_.status } -AsHashTable
        $n = { param($name) if ($status -and $status.ContainsKey($name)) { $status[$name].Count } else { 0 } }
        $detected = (& $n 'Killed') + (& $n 'Timeout')
        $valid = $detected + (& $n 'Survived') + (& $n 'NoCoverage')
        [pscustomobject]@{
            Layer = $folder; Killed = & $n 'Killed'; Timeout = & $n 'Timeout'; Survived = & $n 'Survived'
            NoCoverage = & $n 'NoCoverage'; Score = if ($valid) { [Math]::Round(100 * $detected / $valid, 1) } else { $null }
        }
    }
    $rows | Format-Table -AutoSize | Out-Host
    Write-Host "Report: $(Join-Path $report 'reports/mutation-report.html')"
}

function Invoke-Demo {
    # The module's main job on its built-in simulator: no key, no network, nothing billed (README, 'Try it without a key').
    Invoke-Build
    Import-Module $ModuleOut -Force
    $demo = Join-Path $Out 'demo'
    if (Test-Path $demo) { Remove-Item $demo -Recurse -Force }
    Connect-Seedream -Provider Simulator
    try {
        Write-Host 'Generate, then edit the result, then save both:'
        $fox = New-SeedreamImage -Prompt 'a red fox in the snow' -Size 2K
        $night = $fox | Edit-SeedreamImage -Prompt 'make it night, keep the fox'
        $fox, $night | Save-SeedreamResult -Path $demo -PassThru | Format-Table Name, Length | Out-Host
        Write-Host 'A streamed sequence of four, saved as each image arrives:'
        New-SeedreamImage -Prompt 'a four-panel storyboard of a cat astronaut' -MaxImages 4 -Stream |
            Save-SeedreamResult -Path $demo -NameTemplate 'storyboard-{index}' -PassThru | Format-Table Name, Length | Out-Host
        $files = @(Get-ChildItem $demo -File)
        Write-Host "$($files.Count) simulated images (marked SIMULATED, cost `$0) are in $demo."
        Write-Host 'The same pipeline against a real provider (billed at list price):'
        Write-Host '    $env:SEEDREAM_API_KEY = ''<your key>''   # APIYI; or Connect-Seedream -Provider BytePlus -ApiKey (Read-Host -AsSecureString)'
        Write-Host '    Import-Module ./out/Seedream'
        Write-Host '    New-SeedreamImage -Prompt ''a red fox in the snow'' | Edit-SeedreamImage -Prompt ''make it night, keep the fox'' |'
        Write-Host '        Save-SeedreamResult -Path ./out/real -PassThru'
    }
    finally {
        Disconnect-Seedream
    }
}

switch ($Task) {
    'Build' { Invoke-Build }
    'Test' { Invoke-Test }
    'TestDesktop' { Invoke-TestDesktop }
    'Demo' { Invoke-Demo }
    'Package' { Invoke-Build; $null = & (Join-Path $Root '.build/New-GalleryPackage.ps1') -ModulePath $ModuleOut -OutputPath $Out }
    'Mutate' { Invoke-Mutate }
    'Bench' {
        Invoke-Build
        $rows = if ($BenchRows) { @{ Rows = @($BenchRows -split ',' | ForEach-Object Trim) } } else { @{} }
        & (Join-Path $Root 'tests/Bench/Invoke-Benchmarks.ps1') -ModulePath $ModuleOut -FakeApiPath $FakeApiOut @rows
    }
}
