<#
.SYNOPSIS
    Turns the markdown help (docs/<culture>/<Cmdlet>.md) into the MAML file Get-Help reads (<culture>/Seedream.dll-Help.xml).
    Called by build.ps1's Build task; the MAML is generated, not committed.
#>
param(
    [Parameter(Mandatory)] [string] $DocsPath,
    [Parameter(Mandatory)] [string] $OutputFile
)
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot 'MarkdownHelp.psm1') -Force
$help = @(Get-ChildItem $DocsPath -Filter '*-*.md' | Sort-Object Name | Read-MarkdownHelp)
if (-not $help) { throw "No cmdlet help found under $DocsPath." }
ConvertTo-MamlHelp -Help $help -Path $OutputFile
Write-Host "Help for $($help.Count) cmdlets written to $OutputFile"
