@{
    RootModule             = 'Seedream.dll'
    ModuleVersion          = '0.1.0'
    GUID                   = '5b0d3c1e-7f0a-4c55-9a86-2f3c5e8d6a41'
    Author                 = 'Seedream for PowerShell contributors'
    CompanyName            = 'Seedream for PowerShell'
    Copyright              = '(c) Seedream for PowerShell contributors. MIT License.'
    Description            = 'ByteDance Seedream image models (text to image, editing, multi-image fusion, batch sequences) in the PowerShell pipeline: typed results, validation before any paid request, streaming, retries and safe saving.'
    PowerShellVersion      = '5.1'
    CompatiblePSEditions   = @('Desktop', 'Core')
    DotNetFrameworkVersion = '4.7.2'
    FormatsToProcess       = @('Seedream.Format.ps1xml')
    TypesToProcess         = @('Seedream.Types.ps1xml')
    CmdletsToExport        = @(
        'New-SeedreamImage'
        'Edit-SeedreamImage'
        'Split-SeedreamImage'
        'Save-SeedreamResult'
        'Get-SeedreamModel'
        'Connect-Seedream'
        'Disconnect-Seedream'
        'Get-SeedreamConnection'
        'Get-SeedreamImageInfo'
        'Export-SeedreamGallery'
    )
    FunctionsToExport      = @()
    AliasesToExport        = @()
    VariablesToExport      = @()
    PrivateData            = @{
        PSData = @{
            Tags         = @('Seedream', 'ByteDance', 'BytePlus', 'Volcengine', 'AI', 'Image', 'ImageGeneration', 'TextToImage', 'Windows', 'Linux', 'MacOS', 'PSEdition_Desktop', 'PSEdition_Core')
            ProjectUri   = 'https://github.com/seedream-powershell/Seedream'
            LicenseUri   = 'https://github.com/seedream-powershell/Seedream/blob/main/LICENSE'
            IconUri      = 'https://raw.githubusercontent.com/seedream-powershell/Seedream/main/docs/images/icon.png'
            ReleaseNotes = @'
## 0.1.0
First Gallery release: New-SeedreamImage, Edit-SeedreamImage, Save-SeedreamResult, Get-SeedreamModel,
Connect-Seedream, Disconnect-Seedream and Get-SeedreamConnection.

Changes since the preview builds:
- Paths follow the provider model: Edit-SeedreamImage has -Path (wildcards) and -LiteralPath (alias PSPath, bound
  from Get-ChildItem), PSDrives work, and -Image takes file paths literally. Save-SeedreamResult -Path and
  -LiteralPath resolve through the provider too, refuse non-FileSystem locations, and -PassThru returns FileInfo as
  Get-Item does.
- File names: one call never writes two images to one name (a -2, -3 suffix), unknown or wrongly cased template
  tokens are refused, an extension in the template is not doubled, and the tokens tab-complete.
- -WhatIf works before any key is set; New-SeedreamImage and Edit-SeedreamImage have ConfirmImpact Medium.
- Results read back with Import-Clixml (or from a job) are live again: IsExpired and TimeLeft count down, and
  Base64Json results can be edited and saved.
- Clearer errors for relative, non-http(s) or credential-carrying -BaseUri values, empty, file: and ftp: images, and
  read-only folders; a warning for prompts far past the recommended length.
- The result and model tables fit 80 columns; progress counts download bytes, never goes backwards, shows retry
  waits and is written at most four times a second.
- The package carries the PSCommand_ tags that Find-Command and Find-PSResource -Command search.
'@
        }
    }
}
