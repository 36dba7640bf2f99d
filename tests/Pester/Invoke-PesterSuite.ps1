<#
.SYNOPSIS
    Runs every *.Tests.ps1 under tests/Pester against the built module and writes the counts to a JSON summary.
    Called by build.ps1 -Task Test in a fresh pwsh, so the module under test never loads into the build's process.
    The counts come from Get-PesterCount (.build/TestCounts.ps1): a file that fails to load counts each of its tests as
    failed, NotRun and Inconclusive are failures, and the summary carries Skipped, Discovered and the problems seen.
#>
param(
    [Parameter(Mandatory)] [string] $PesterManifest,
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $FakeApiPath,
    [Parameter(Mandatory)] [string] $SummaryPath,
    [string[]] $Path = $PSScriptRoot
)
$ErrorActionPreference = 'Stop'
. (Join-Path $PSScriptRoot '../../.build/TestCounts.ps1')
# Relative paths are taken from the current location (Import-Module would look a relative manifest up as a module name).
$PesterManifest, $ModulePath, $FakeApiPath = $PesterManifest, $ModulePath, $FakeApiPath |
    ForEach-Object { $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($_) }
Import-Module $PesterManifest -Force
$env:SEEDREAM_TEST_MODULE = $ModulePath
$env:SEEDREAM_TEST_FAKEAPI = $FakeApiPath
$configuration = New-PesterConfiguration
$configuration.Run.Path = $Path
$configuration.Run.PassThru = $true
$configuration.Output.Verbosity = 'Normal'
$configuration.TestResult.Enabled = $true
$configuration.TestResult.OutputPath = Join-Path (Split-Path $SummaryPath) 'pester.xml'
$result = Invoke-Pester -Configuration $configuration
$count = Get-PesterCount -Result $result
[pscustomobject]@{
    Passed     = $count.Passed
    Failed     = $count.Failed
    Skipped    = $count.Skipped
    Discovered = $count.Discovered
    Counted    = $count.Counted
    Problems   = @($count.Problems)
} | ConvertTo-Json | Set-Content -Path $SummaryPath
