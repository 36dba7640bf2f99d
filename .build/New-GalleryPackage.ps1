<#
.SYNOPSIS
    Writes the PowerShell Gallery package (Seedream.<version>.nupkg) of a built module into a folder.
.DESCRIPTION
    Uses the PSResourceGet that ships with PowerShell: registers a temporary local folder repository under a unique
    name, publishes the module folder to it, copies the .nupkg out and unregisters the repository again (also on
    failure), so the user's own repositories are left as they were. Returns the package file.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $OutputPath
)
$ErrorActionPreference = 'Stop'
Import-Module Microsoft.PowerShell.PSResourceGet
$ModulePath = (Resolve-Path $ModulePath).Path
$manifest = Import-PowerShellDataFile (Join-Path $ModulePath 'Seedream.psd1')
$version = $manifest.ModuleVersion
$feed = Join-Path ([IO.Path]::GetTempPath()) "seedream-feed-$([guid]::NewGuid().ToString('N'))"
$repository = "SeedreamBuild-$([guid]::NewGuid().ToString('N').Substring(0, 12))"
$null = New-Item -ItemType Directory -Path $feed
# NuGet inside PSResourceGet can drop a NuGet/NuGet.Config into the working folder; publish from the temporary feed's.
Push-Location $feed
try {
    Register-PSResourceRepository -Name $repository -Uri $feed -Trusted
    Publish-PSResource -Path $ModulePath -Repository $repository
    $package = Get-ChildItem $feed -Filter '*.nupkg' -Recurse | Select-Object -First 1
    if (-not $package) { throw "Publish-PSResource wrote no package into the temporary feed." }
    if (-not (Test-Path $OutputPath)) { $null = New-Item -ItemType Directory -Path $OutputPath }
    $target = Join-Path $OutputPath "Seedream.$version.nupkg"
    Copy-Item $package.FullName $target -Force
    Write-Host "Package written: $target"
    Get-Item $target
}
finally {
    Pop-Location
    Unregister-PSResourceRepository -Name $repository -ErrorAction SilentlyContinue
    Remove-Item $feed -Recurse -Force -ErrorAction SilentlyContinue
}
