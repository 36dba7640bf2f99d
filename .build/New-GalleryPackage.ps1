<#
.SYNOPSIS
    Writes the PowerShell Gallery package (Seedream.<version>.nupkg) of a built module into a folder.
.DESCRIPTION
    Uses the PSResourceGet that ships with PowerShell: registers a temporary local folder repository under a unique
    name, publishes the module folder to it, copies the .nupkg out and unregisters the repository again (also on
    failure), so the user's own repositories are left as they were. Returns the package file.

    The Gallery, Find-Command (PowerShellGet) and Find-PSResource -Command find a module's commands by tags:
    PSIncludes_Cmdlet, and PSCmdlet_<name> and PSCommand_<name> for each cmdlet (PowerShellGet's Publish-Module used to
    add them; Publish-PSResource does not). They are made from the manifest's CmdletsToExport and added to the Tags of
    the manifest that goes into the package (a staging copy of the module; the source manifest stays as it is), so
    they reach both the nuspec the Gallery reads and the manifest local repositories read, and never need listing by hand.
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
$work = Join-Path ([IO.Path]::GetTempPath()) "seedream-package-$([guid]::NewGuid().ToString('N'))"
$feed = Join-Path $work 'feed'
$staging = Join-Path $work 'Seedream'
$repository = "SeedreamBuild-$([guid]::NewGuid().ToString('N').Substring(0, 12))"
$null = New-Item -ItemType Directory -Path $feed
Copy-Item $ModulePath $staging -Recurse

# The command tags, added to the staging manifest's Tags = @(...) as its first items.
$commandTags = @(if ($manifest.CmdletsToExport) { 'PSIncludes_Cmdlet' }) + @(foreach ($name in $manifest.CmdletsToExport) { "PSCmdlet_$name"; "PSCommand_$name" })
$stagedManifest = Join-Path $staging 'Seedream.psd1'
$text = [IO.File]::ReadAllText($stagedManifest)
$tagsList = [regex]::Match($text, '(?m)^(\s*Tags\s*=\s*@\()')
if (-not $tagsList.Success) { throw "The manifest has no 'Tags = @(' line to add the command tags to." }
$added = ($commandTags | ForEach-Object { "'$_'" }) -join ', '
$text = $text.Insert($tagsList.Index + $tagsList.Length, "$added, ")
[IO.File]::WriteAllText($stagedManifest, $text, [Text.UTF8Encoding]::new($false))
$stagedTags = (Import-PowerShellDataFile $stagedManifest).PrivateData.PSData.Tags
foreach ($tag in $commandTags) { if ($stagedTags -notcontains $tag) { throw "The staging manifest lost the tag $tag." } }

# NuGet inside PSResourceGet can drop a NuGet/NuGet.Config into the working folder; publish from the temporary feed's.
Push-Location $feed
try {
    Register-PSResourceRepository -Name $repository -Uri $feed -Trusted
    Publish-PSResource -Path $staging -Repository $repository
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
    Remove-Item $work -Recurse -Force -ErrorAction SilentlyContinue
}
