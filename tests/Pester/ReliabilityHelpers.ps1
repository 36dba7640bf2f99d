# Dot-sourced by Streaming, Reliability and Security suites after TestSetup.ps1.

function Add-FaultRule {
    <# Queues fault rules on the fake API (a JSON array of rule objects). #>
    param([Parameter(Mandatory)] $Fake, [Parameter(Mandatory)] [hashtable[]] $Rule)
    $json = ConvertTo-Json -InputObject $Rule -Depth 10 -Compress
    $null = Invoke-RestMethod -Method Post -Uri ($Fake.Root + '_control/faults') -Body $json -ContentType 'application/json' -NoProxy -TimeoutSec 30
}

$script:SeedreamManifest = Join-Path (Split-Path (Get-Module Seedream).Path) 'Seedream.psd1'

function New-ChildPowerShell {
    <# A fresh PowerShell instance in this process with the module imported and the given progress preference. #>
    param([Parameter(Mandatory)] [string] $Script, [string] $ProgressPreference = 'Continue')
    $ps = [powershell]::Create()
    $null = $ps.AddScript("Import-Module '$script:SeedreamManifest'; `$ProgressPreference = '$ProgressPreference'; $Script")
    $ps
}

function Wait-Until {
    <# Polls a condition (an order-of-events wait, bounded only as a safety net). #>
    param([Parameter(Mandatory)] [scriptblock] $Condition, [int] $Seconds = 20)
    $deadline = [DateTime]::UtcNow.AddSeconds($Seconds)
    while (-not (& $Condition)) {
        if ([DateTime]::UtcNow -gt $deadline) { throw "Timed out waiting for: $Condition" }
        Start-Sleep -Milliseconds 25
    }
}
