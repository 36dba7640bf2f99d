<#
.SYNOPSIS
    Runs every *.Tests.ps1 under tests/Pester against the built module and writes the counts to a JSON summary.
    Called by build.ps1 -Task Test in a fresh pwsh, so the module under test never loads into the build's process.
#>
param(
    [Parameter(Mandatory)] [string] $PesterManifest,
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $FakeApiPath,
    [Parameter(Mandatory)] [string] $SummaryPath,
    [string[]] $Path = $PSScriptRoot
)
$ErrorActionPreference = 'Stop'
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
[pscustomobject]@{
    Passed  = $result.PassedCount
    Failed  = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
    Skipped = $result.SkippedCount
} | ConvertTo-Json | Set-Content -Path $SummaryPath
