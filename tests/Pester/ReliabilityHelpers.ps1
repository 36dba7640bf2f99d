# Dot-sourced by Streaming, Reliability and Security suites after TestSetup.ps1.

$script:SeedreamManifest = Join-Path (Split-Path (Get-Module Seedream).Path) 'Seedream.psd1'

function New-ChildPowerShell {
    <# A fresh PowerShell instance in this process with the module imported and the given progress preference. #>
    param([Parameter(Mandatory)] [string] $Script, [string] $ProgressPreference = 'Continue')
    $ps = [powershell]::Create()
    $null = $ps.AddScript("Import-Module '$script:SeedreamManifest'; `$ProgressPreference = '$ProgressPreference'; $Script")
    $ps
}
