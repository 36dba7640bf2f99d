# Dot-sourced by Streaming, Reliability and Security suites after TestSetup.ps1.

function Add-FaultRule {
    <# Queues fault rules on the fake API (a JSON array of rule objects). #>
    param([Parameter(Mandatory)] $Fake, [Parameter(Mandatory)] [hashtable[]] $Rule)
    $json = ConvertTo-Json -InputObject $Rule -Depth 10 -Compress
    $null = Invoke-RestMethod -Method Post -Uri ($Fake.Root + '_control/faults') -Body $json -ContentType 'application/json' -NoProxy -TimeoutSec 30 -Debug:$false -Verbose:$false
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

function New-PngFile {
    <# A PNG signature and IHDR of the given size, padded with zero bytes (enough for the module's header checks). #>
    param([Parameter(Mandatory)] [string] $Path, [int] $Width = 64, [int] $Height = 64, [int] $PadBytes = 0)
    $bytes = [System.Collections.Generic.List[byte]]::new()
    $bytes.AddRange([byte[]](0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52))
    foreach ($value in $Width, $Height) {
        $bytes.AddRange([byte[]](@(24, 16, 8, 0) | ForEach-Object { ($value -shr $_) -band 0xFF }))
    }
    $bytes.AddRange([byte[]](8, 2, 0, 0, 0, 0, 0, 0, 0))
    if ($PadBytes -gt 0) { $bytes.AddRange([byte[]]::new($PadBytes)) }
    [System.IO.File]::WriteAllBytes($Path, $bytes.ToArray())
    Get-Item $Path
}
