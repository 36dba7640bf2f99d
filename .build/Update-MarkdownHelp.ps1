<#
.SYNOPSIS
    Brings docs/en-US/<Cmdlet>.md in line with the built module (a small stand-in for platyPS's Update-MarkdownHelp).
.DESCRIPTION
    Imports out/Seedream in a fresh PowerShell, then for every exported cmdlet refreshes the SYNTAX block and each
    parameter's yaml facts (type, sets, aliases, accepted values, required, position, pipeline input), adds a
    '{{ Fill in ... }}' section for each new parameter and drops sections of removed ones. Descriptions, defaults,
    examples and links are kept. The Help tests fail while any placeholder is left.
.EXAMPLE
    dotnet pwsh ./build.ps1; dotnet pwsh ./.build/Update-MarkdownHelp.ps1
#>
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../out/Seedream'),
    [string] $DocsPath = (Join-Path $PSScriptRoot '../docs/en-US')
)
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot 'MarkdownHelp.psm1') -Force
$module = Import-Module (Resolve-Path $ModulePath) -Force -PassThru
if (-not (Test-Path $DocsPath)) { $null = New-Item -ItemType Directory -Path $DocsPath }
foreach ($command in Get-Command -Module $module.Name -CommandType Cmdlet) {
    $path = Join-Path $DocsPath "$($command.Name).md"
    Update-MarkdownHelp -Command $command -Path $path
    Write-Host "Updated $path"
}
