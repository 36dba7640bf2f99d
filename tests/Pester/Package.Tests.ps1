# The Gallery package: built with the PSResourceGet that ships with PowerShell, installed with Install-PSResource
# from a temporary local repository into a temporary user's scope, imported by name in a fresh pwsh.
# Every child runs with HOME (and the XDG folders) pointing at a temporary folder, so the repository registration and
# the CurrentUser install land there and the real user's repositories and modules are never touched.
Describe 'Package' {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'TestSetup.ps1')
        $script:ModuleBase = (Get-Module Seedream).ModuleBase
        $script:Temp = Join-Path ([IO.Path]::GetTempPath()) "seedream-package-$([guid]::NewGuid().ToString('N'))"
        $script:UserHome = Join-Path $Temp 'home'
        $script:Feed = Join-Path $Temp 'feed'
        $null = New-Item -ItemType Directory -Path $UserHome, $Feed

        function Invoke-AsTemporaryUser([string] $Script) {
            $exe = [Environment]::ProcessPath
            $start = [System.Diagnostics.ProcessStartInfo]::new($exe)
            if ((Split-Path $exe -Leaf) -like 'dotnet*') { $start.ArgumentList.Add((Join-Path $PSHOME 'pwsh.dll')) }
            foreach ($argument in '-NoProfile', '-NonInteractive', '-Command', $Script) { $start.ArgumentList.Add($argument) }
            $start.RedirectStandardOutput = $true
            $start.RedirectStandardError = $true
            $start.UseShellExecute = $false
            $start.Environment['HOME'] = $UserHome
            $start.Environment['USERPROFILE'] = $UserHome
            $start.Environment['XDG_DATA_HOME'] = Join-Path $UserHome '.local/share'
            $start.Environment['XDG_CONFIG_HOME'] = Join-Path $UserHome '.config'
            $start.Environment['XDG_CACHE_HOME'] = Join-Path $UserHome '.cache'
            $null = $start.Environment.Remove('PSModulePath')
            # NuGet (inside PSResourceGet) may write a NuGet/NuGet.Config relative to the working folder: keep it in the temporary home.
            $start.WorkingDirectory = $UserHome
            $process = [System.Diagnostics.Process]::Start($start)
            $errorRead = $process.StandardError.ReadToEndAsync()
            $output = $process.StandardOutput.ReadToEnd()
            $process.WaitForExit()
            [pscustomobject]@{ ExitCode = $process.ExitCode; Output = $output; Error = $errorRead.Result }
        }

        $repo = Resolve-Path (Join-Path $PSScriptRoot '../..')
        $builder = Join-Path $repo '.build/New-GalleryPackage.ps1'
        $script:Build = Invoke-AsTemporaryUser "& '$builder' -ModulePath '$ModuleBase' -OutputPath '$Feed' | Out-Null"
        $script:Version = (Import-PowerShellDataFile (Join-Path $ModuleBase 'Seedream.psd1')).ModuleVersion
    }
    AfterAll {
        Remove-Item $Temp -Recurse -Force -ErrorAction SilentlyContinue
        . (Join-Path $PSScriptRoot 'TestTeardown.ps1')
    }
    BeforeEach { Reset-FakeSeedreamApi $Fake }

    It 'build step writes Seedream.<version>.nupkg with the module, its formats and the generated help' {
        $Build.ExitCode | Should -Be 0 -Because $Build.Error
        $package = Join-Path $Feed "Seedream.$Version.nupkg"
        $package | Should -Exist
        Add-Type -AssemblyName System.IO.Compression.FileSystem
        $zip = [System.IO.Compression.ZipFile]::OpenRead($package)
        try { $entries = @($zip.Entries.FullName) } finally { $zip.Dispose() }
        foreach ($entry in 'Seedream.psd1', 'Seedream.dll', 'catalog.json', 'Seedream.Format.ps1xml', 'en-US/Seedream.dll-Help.xml', 'en-US/about_Seedream.help.txt', 'Seedream.nuspec') {
            $entries | Should -Contain $entry
        }
        $entries | Should -Not -Contain 'System.Management.Automation.dll'
    }

    It 'carries the command tags the Gallery searches: PSIncludes_Cmdlet, and PSCommand_ and PSCmdlet_ for every exported cmdlet' {
        Add-Type -AssemblyName System.IO.Compression.FileSystem
        $zip = [System.IO.Compression.ZipFile]::OpenRead((Join-Path $Feed "Seedream.$Version.nupkg"))
        try {
            $reader = [IO.StreamReader]::new(($zip.Entries | Where-Object FullName -EQ 'Seedream.nuspec').Open())
            try { [xml] $nuspec = $reader.ReadToEnd() } finally { $reader.Dispose() }
        }
        finally { $zip.Dispose() }
        $tags = $nuspec.package.metadata.tags -split '\s+'
        $cmdlets = (Import-PowerShellDataFile (Join-Path $ModuleBase 'Seedream.psd1')).CmdletsToExport
        $cmdlets.Count | Should -BeGreaterOrEqual 7
        $tags | Should -Contain 'PSModule'
        $tags | Should -Contain 'PSIncludes_Cmdlet'
        foreach ($name in $cmdlets) {
            $tags | Should -Contain "PSCommand_$name"
            $tags | Should -Contain "PSCmdlet_$name"
        }
        $tags | Should -Contain 'PSEdition_Core'
        (Import-PowerShellDataFile (Join-Path $PSScriptRoot '../../Seedream.psd1')).PrivateData.PSData.Tags | Should -Not -Contain 'PSIncludes_Cmdlet' -Because 'the tags are made at packaging time, not kept by hand'
    }

    It 'fills what the Gallery page shows: an icon that is in the repository, release notes for this version, project and license links' {
        Add-Type -AssemblyName System.IO.Compression.FileSystem
        $zip = [System.IO.Compression.ZipFile]::OpenRead((Join-Path $Feed "Seedream.$Version.nupkg"))
        try {
            $reader = [IO.StreamReader]::new(($zip.Entries | Where-Object FullName -EQ 'Seedream.nuspec').Open())
            try { [xml] $nuspec = $reader.ReadToEnd() } finally { $reader.Dispose() }
        }
        finally { $zip.Dispose() }
        $metadata = $nuspec.package.metadata
        $psData = (Import-PowerShellDataFile (Join-Path $PSScriptRoot '../../Seedream.psd1')).PrivateData.PSData
        $metadata.iconUrl | Should -Be $psData.IconUri
        $metadata.projectUrl | Should -Be $psData.ProjectUri
        $metadata.licenseUrl | Should -Be $psData.LicenseUri
        # The icon address points at a file of this repository's main branch: that file must exist and be a PNG.
        $iconPath = [regex]::Match($psData.IconUri, '^' + [regex]::Escape(($psData.ProjectUri -replace '^https://github\.com/', 'https://raw.githubusercontent.com/')) + '/main/(?<path>.+)$')
        $iconPath.Success | Should -BeTrue -Because "$($psData.IconUri) is a file on the project's main branch"
        $icon = Join-Path $PSScriptRoot "../../$($iconPath.Groups['path'].Value)"
        $icon | Should -Exist
        $bytes = [IO.File]::ReadAllBytes($icon)
        $bytes[0..7] | Should -Be @(0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A)
        $metadata.releaseNotes | Should -Match ('^## ' + [regex]::Escape($Version))
        foreach ($change in 'LiteralPath', 'PSDrive', 'NameTemplate|template', 'WhatIf', 'Import-Clixml', '80 columns', 'PSCommand_') {
            $metadata.releaseNotes | Should -Match $change -Because 'the release notes say what changed'
        }
    }

    It 'is found by command name with Find-PSResource -Command (PSResourceGet) and Find-Command (PowerShellGet <PowerShellGet>)' -ForEach @(
        @{ PowerShellGet = '2' }
    ) {
        $available = Invoke-AsTemporaryUser "(Get-Module -ListAvailable PowerShellGet | Where-Object { `$_.Version.Major -eq 2 } | Measure-Object).Count"
        $find = Invoke-AsTemporaryUser @"
`$ErrorActionPreference = 'Stop'
`$ProgressPreference = 'SilentlyContinue'
Register-PSResourceRepository -Name SeedreamFindTest -Uri '$Feed' -Trusted
try {
    foreach (`$name in 'New-SeedreamImage', 'Save-SeedreamResult') {
        `$found = Find-PSResource -Command `$name -Repository SeedreamFindTest
        'PSRESOURCEGET=' + `$name + '>' + `$found.ParentResource.Name + '@' + `$found.ParentResource.Version + ':' + (`$found.Names -join ',')
    }
}
finally { Unregister-PSResourceRepository -Name SeedreamFindTest }
if ([int]'$($available.Output.Trim())' -gt 0) {
    Import-Module PowerShellGet -MinimumVersion 2.0 -MaximumVersion 2.99
    Register-PSRepository -Name SeedreamFindTest2 -SourceLocation '$Feed' -InstallationPolicy Trusted
    try {
        `$command = Find-Command -Name New-SeedreamImage -Repository SeedreamFindTest2
        'POWERSHELLGET=' + `$command.Name + '>' + `$command.ModuleName + '@' + `$command.Version
    }
    finally { Unregister-PSRepository -Name SeedreamFindTest2 }
}
"@
        $find.ExitCode | Should -Be 0 -Because $find.Error
        $find.Output | Should -Match "PSRESOURCEGET=New-SeedreamImage>Seedream@$([regex]::Escape($Version)):New-SeedreamImage"
        $find.Output | Should -Match "PSRESOURCEGET=Save-SeedreamResult>Seedream@$([regex]::Escape($Version)):Save-SeedreamResult"
        if ([int]$available.Output.Trim() -eq 0) {
            Set-ItResult -Skipped -Because 'PowerShellGet 2 is not installed with this PowerShell (it is bundled with PowerShell 7.6 and Windows PowerShell 5.1)'
            return
        }
        $find.Output | Should -Match "POWERSHELLGET=New-SeedreamImage>Seedream@$([regex]::Escape($Version))"
    }

    It 'leaves no repository registered behind' {
        $check = Invoke-AsTemporaryUser "(Get-PSResourceRepository | Where-Object Name -like 'SeedreamBuild-*' | Measure-Object).Count"
        $check.Output.Trim() | Should -Be '0'
    }

    It 'installs with Install-PSResource into the user scope and works when imported by name in a fresh pwsh' {
        $install = Invoke-AsTemporaryUser @"
`$ErrorActionPreference = 'Stop'
Register-PSResourceRepository -Name SeedreamLocalTest -Uri '$Feed' -Trusted
try { Install-PSResource -Name Seedream -Version '$Version' -Repository SeedreamLocalTest -Scope CurrentUser -TrustRepository -Quiet }
finally { Unregister-PSResourceRepository -Name SeedreamLocalTest }
"@
        $install.ExitCode | Should -Be 0 -Because $install.Error

        $run = Invoke-AsTemporaryUser @"
`$ErrorActionPreference = 'Stop'
`$ProgressPreference = 'SilentlyContinue'
Import-Module Seedream
'BASE=' + (Get-Module Seedream).ModuleBase
`$help = Get-Help New-SeedreamImage -Full
'SYNOPSIS=' + `$help.Synopsis
'EXAMPLES=' + @(`$help.Examples.Example).Count
'PARAMETERS=' + @(`$help.Parameters.Parameter).Count
'WATERMARK=' + (Get-Help New-SeedreamImage -Parameter Watermark).Description.Text
`$image = New-SeedreamImage -Prompt 'installed from the package'
'URL=' + `$image.Url
'MODEL=' + `$image.Model
"@
        $run.ExitCode | Should -Be 0 -Because $run.Error
        $lines = @{}
        foreach ($line in $run.Output -split "`r?`n") { if ($line -match '^(?<k>[A-Z]+)=(?<v>.*)$') { $lines[$Matches.k] = $Matches.v } }
        $lines.BASE | Should -BeLike "$UserHome*"
        $lines.SYNOPSIS | Should -Match 'Generates images from a text prompt'
        [int]$lines.EXAMPLES | Should -BeGreaterOrEqual 2
        [int]$lines.PARAMETERS | Should -BeGreaterOrEqual 20
        $lines.WATERMARK | Should -Match 'watermark:false'
        $lines.URL | Should -Match '^http://127\.0\.0\.1'
        $lines.MODEL | Should -Be 'seedream-5-0-260128'
        @(Get-FakeRequest $Fake -Target generate) | Should -HaveCount 1
        (@(Get-FakeRequest $Fake -Target generate)[0].body).prompt | Should -Be 'installed from the package'
    }
}
