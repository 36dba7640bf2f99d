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
            ReleaseNotes = 'First release: New-SeedreamImage, Edit-SeedreamImage, Save-SeedreamResult, the model catalog and connections.'
        }
    }
}
