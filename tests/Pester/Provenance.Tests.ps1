# Provenance: Save-SeedreamResult records how each image was made (XMP in PNG/JPEG, or a JSON sidecar), keeping every
# byte the provider put in; Get-SeedreamImageInfo reads it back, and its objects make or refine images again.
Describe 'Provenance' {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'TestSetup.ps1')
        $script:Namespace = 'https://seedream-powershell.github.io/ns/provenance/1.0/'
        $script:Latin1 = [Text.Encoding]::Latin1

        # The bytes with the module's record taken out again: what must equal the provider's bytes.
        function Remove-Record([byte[]] $Bytes) {
            $text = $Latin1.GetString($Bytes)
            $at = $text.IndexOf($Namespace, [StringComparison]::Ordinal)
            $at | Should -BeGreaterThan 0 -Because 'the record is embedded'
            if ($Bytes[0] -eq 0x89) {
                $chunk = $text.LastIndexOf('iTXtXML:com.adobe.xmp', $at, [StringComparison]::Ordinal) - 4
                $length = 12 + ([int]$Bytes[$chunk] -shl 24) + ([int]$Bytes[$chunk + 1] -shl 16) + ([int]$Bytes[$chunk + 2] -shl 8) + $Bytes[$chunk + 3]
            }
            else {
                $chunk = $text.LastIndexOf("http://ns.adobe.com/xap/1.0/`0", $at, [StringComparison]::Ordinal) - 4
                $Bytes[$chunk] | Should -Be 0xFF
                $Bytes[$chunk + 1] | Should -Be 0xE1
                $length = 2 + ([int]$Bytes[$chunk + 2] -shl 8) + $Bytes[$chunk + 3]
            }
            [byte[]]($Bytes[0..($chunk - 1)] + $Bytes[($chunk + $length)..($Bytes.Length - 1)])
        }

        # A recorded body as canonical JSON: the members of each object sorted (JSON gives their order no meaning, and a
        # hashtable such as -AdditionalBody has none).
        function ConvertTo-Canonical($Value) {
            if ($Value -is [pscustomobject]) {
                $sorted = [ordered]@{}
                foreach ($name in $Value.PSObject.Properties.Name | Sort-Object) { $sorted[$name] = ConvertTo-Canonical $Value.$name }
                [pscustomobject]$sorted
            }
            elseif ($Value -is [array]) { , @($Value | ForEach-Object { ConvertTo-Canonical $_ }) }
            else { $Value }
        }
        function Get-Body([int] $Index = -1) { ConvertTo-Canonical @(Get-FakeRequest $Fake -Target generate)[$Index].body | ConvertTo-Json -Depth 10 -Compress }
    }
    AfterAll { . (Join-Path $PSScriptRoot 'TestTeardown.ps1') }
    BeforeEach { Reset-FakeSeedreamApi $Fake }

    Describe 'Save-SeedreamResult records, Get-SeedreamImageInfo reads' {
        It 'a four-image storyboard: four records with the prompt, the indices and the request id' {
            $story = Join-Path $TestDrive 'story'
            New-SeedreamImage -Prompt 'four-panel storyboard' -MaxImages 4 | Save-SeedreamResult -Path $story
            $requestId = @(Get-FakeRequest $Fake -Target generate)[0].id
            $info = Get-SeedreamImageInfo "$story/*" | Sort-Object Index
            $info | Should -HaveCount 4
            $info.Prompt | Sort-Object -Unique | Should -Be 'four-panel storyboard'
            $info.Index | Should -Be 0, 1, 2, 3
            $info.RequestId | Sort-Object -Unique | Should -Be $requestId
            $info[0].MaxImages | Should -Be 4
            $info[0].Mode | Should -Be 'Sequence'
            $info[0].Model | Should -Be 'seedream-5-0-260128'
            $info[0].ModelFamily | Should -Be '5.0-lite'
            $info[0].Provider | Should -Be 'APIYI'
            $info[0].EstimatedCost | Should -Be 0.035
            $info[0].Source | Should -Be 'Embedded'
            $info[0].File | Should -BeOfType [IO.FileInfo]
            $info[0].ModuleVersion | Should -Be (Get-Module Seedream).Version.ToString(3)
            $table = $info | Format-Table | Out-String -Width 200
            $table | Should -Match 'Name\s+Index\s+Model\s+Size\s+Created\s+Prompt'
            $table | Should -Match 'seedream-\S+-3\.jpg\s+3\s+5\.0-lite\s+2048x2048'
        }

        It 'keeps every byte the provider put into a <Format> (EXIF, XMP, AIGC label, C2PA) and adds only the record' -ForEach @(
            @{ Format = 'JPEG'; Arguments = @{} }
            @{ Format = 'PNG'; Arguments = @{ OutputFormat = 'Png' } }
        ) {
            $image = New-SeedreamImage -Prompt 'keep the provider metadata' -ResponseFormat Base64Json @Arguments
            $provider = $image.ImageBytes
            $Latin1.GetString($provider) | Should -Match 'ByteDance' -Because 'the fake serves EXIF like a provider'
            $file = $image | Save-SeedreamResult -Path (Join-Path $TestDrive 'keep') -PassThru
            $saved = [IO.File]::ReadAllBytes($file.FullName)
            Remove-Record $saved | Should -Be $provider
            (Get-SeedreamImageInfo -LiteralPath $file.FullName).Prompt | Should -Be 'keep the provider metadata'
        }

        It 'keeps a downloaded image byte for byte too (-Provenance Sidecar leaves it untouched)' {
            $image = New-SeedreamImage -Prompt 'sidecar please'
            $provider = (Invoke-WebRequest -Uri $image.Url -NoProxy).Content
            $folder = Join-Path $TestDrive 'sidecar'
            $file = $image | Save-SeedreamResult -Path $folder -Provenance Sidecar -PassThru
            [IO.File]::ReadAllBytes($file.FullName) | Should -Be $provider
            "$($file.FullName).json" | Should -Exist
            $info = Get-SeedreamImageInfo $folder
            $info | Should -HaveCount 1 -Because 'the sidecar is not an image of its own'
            $info.Source | Should -Be 'Sidecar'
            $info.Prompt | Should -Be 'sidecar please'
            (Get-Content "$($file.FullName).json" -Raw | ConvertFrom-Json).Schema | Should -Be $Namespace
        }

        It '-NoProvenance writes the image as received and Get-SeedreamImageInfo warns about it' {
            $image = New-SeedreamImage -Prompt 'no record' -ResponseFormat Base64Json
            $file = $image | Save-SeedreamResult -Path (Join-Path $TestDrive 'none') -NoProvenance -PassThru
            [IO.File]::ReadAllBytes($file.FullName) | Should -Be $image.ImageBytes
            "$($file.FullName).json" | Should -Not -Exist
            $info = Get-SeedreamImageInfo $file.FullName -WarningVariable warnings 3>$null
            $info | Should -BeNullOrEmpty
            "$warnings" | Should -Match 'holds no Seedream provenance record'
        }

        It 'refuses -NoProvenance with -Provenance Sidecar before saving anything' {
            $image = New-SeedreamImage -Prompt 'conflict'
            $refusal = Get-Refusal { $image | Save-SeedreamResult -Path (Join-Path $TestDrive 'conflict') -NoProvenance -Provenance Sidecar }
            $refusal.FullyQualifiedErrorId | Should -BeLike 'Seedream.InvalidParameter*'
            "$refusal" | Should -Match '-NoProvenance'
            Join-Path $TestDrive 'conflict' | Should -Not -Exist
        }

        It 'records references by URL as sent and local files by name and SHA-256, never the data URI' {
            $folder = Join-Path $TestDrive 'refs'
            $null = New-Item -ItemType Directory $folder
            $png = New-TestImageFile -Path (Join-Path $folder 'person.png')
            $dataUri = 'data:image/png;base64,' + [Convert]::ToBase64String([IO.File]::ReadAllBytes($png.FullName))
            $file = Edit-SeedreamImage -Prompt 'image 1 in the style of image 2 and 3' -Image 'https://img.example/style.png?sig=abc', $png.FullName, $dataUri |
                Save-SeedreamResult -Path $folder -PassThru
            $text = $Latin1.GetString([IO.File]::ReadAllBytes($file.FullName))
            $text | Should -Not -Match 'base64,'
            $text | Should -Not -Match ([regex]::Escape($folder)) -Because 'no machine path goes into the record'
            $info = Get-SeedreamImageInfo $file.FullName
            $info.References.Kind | Should -Be 'Url', 'File', 'DataUri'
            $info.References[0].Url | Should -Be 'https://img.example/style.png?sig=abc'
            $info.References[1].Name | Should -Be 'person.png'
            $info.References[1].Sha256 | Should -Be (Get-FileHash $png.FullName -Algorithm SHA256).Hash.ToLowerInvariant()
            $info.References[2].Sha256 | Should -Be $info.References[1].Sha256
            $info.Command | Should -Be 'Edit-SeedreamImage'
        }

        It 'reads by -LiteralPath (brackets), from Get-ChildItem, and says which named file is not an image' {
            $folder = Join-Path $TestDrive 'literal'
            $saved = New-SeedreamImage -Prompt 'brackets' | Save-SeedreamResult -Path $folder -NameTemplate 'shot' -PassThru
            $file = Rename-Item -LiteralPath $saved.FullName -NewName 'shot[1].jpg' -PassThru
            (Get-SeedreamImageInfo -LiteralPath $file.FullName).Name | Should -Be 'shot[1].jpg'
            (Get-ChildItem -LiteralPath $folder | Get-SeedreamImageInfo).Prompt | Should -Be 'brackets'
            Set-Content (Join-Path $folder 'notes.txt') 'text'
            $null = Get-SeedreamImageInfo -LiteralPath (Join-Path $folder 'notes.txt') -WarningVariable warnings 3>$null
            "$warnings" | Should -Match 'not an image'
            $null = Get-SeedreamImageInfo "$folder/*" -WarningVariable quiet 3>$null
            $quiet | Should -BeNullOrEmpty -Because 'a wildcard passes over files that are not images'
            $missing = Get-SeedreamImageInfo (Join-Path $folder 'gone.jpg') -ErrorVariable failures -ErrorAction SilentlyContinue
            $failures[0].FullyQualifiedErrorId | Should -BeLike 'Seedream.PathNotFound*'
        }

        It 'keeps the request through Export-Clixml and Import-Clixml, references included' {
            $xml = Join-Path $TestDrive 'result.xml'
            Edit-SeedreamImage -Prompt 'through xml' -Image 'https://img.example/a.png', 'https://img.example/b.png' | Export-Clixml $xml
            $file = Import-Clixml $xml | Save-SeedreamResult -Path (Join-Path $TestDrive 'xml') -PassThru
            $info = Get-SeedreamImageInfo $file.FullName
            $info.References.Url | Should -Be 'https://img.example/a.png', 'https://img.example/b.png'
            $info.Mode | Should -Be 'Fusion'
        }
    }

    Describe 'Making and refining again from a record' {
        It 'sends the same request body again: & $info.Command @parameters' {
            $folder = Join-Path $TestDrive 'again'
            $null = New-SeedreamImage -Prompt 'again, exactly' -MaxImages 3 -Size 2K -OutputFormat Png -Watermark -Stream -AdditionalBody @{ seed = 7; extra = @{ a = 'b' } } |
                Save-SeedreamResult -Path $folder
            $original = Get-Body 0
            $info = Get-SeedreamImageInfo $folder | Sort-Object RequestId -Unique
            $info | Should -HaveCount 1
            $parameters = $info.Parameters
            $null = & $info.Command @parameters
            Get-Body 1 | Should -Be $original
        }

        It 'an edit with a URL and a local file: the file is found again by name and SHA-256, and the body is the same' {
            $folder = Join-Path $TestDrive 'again-edit'
            $null = New-Item -ItemType Directory $folder
            $png = New-TestImageFile -Path (Join-Path $folder 'jacket.png')
            $null = Edit-SeedreamImage -Prompt 'the jacket of image 2 on image 1' -Image 'https://img.example/p.png', $png.FullName | Save-SeedreamResult -Path $folder
            $original = Get-Body 0
            $info = Get-SeedreamImageInfo "$folder/seedream-*"
            $info.Image | Should -Be 'https://img.example/p.png', $png.FullName
            $parameters = $info.Parameters
            $null = & $info.Command @parameters
            Get-Body 1 | Should -Be $original

            Set-Content $png.FullName 'changed'
            $changed = Get-SeedreamImageInfo "$folder/seedream-*" -WarningVariable warnings 3>$null
            $changed.Image | Should -BeNullOrEmpty -Because 'a file of that name with other bytes is not the reference'
            "$warnings" | Should -Match 'reference 2 .*jacket.png'
        }

        It 'piped into New-SeedreamImage, a record binds by property name (the prompt today)' {
            $folder = Join-Path $TestDrive 'piped'
            $null = New-SeedreamImage -Prompt 'piped again' | Save-SeedreamResult -Path $folder
            $original = Get-Body 0
            $null = Get-SeedreamImageInfo $folder | New-SeedreamImage
            Get-Body 1 | Should -Be $original
        }

        It 'piped into Edit-SeedreamImage, a record is the saved file to refine' {
            $folder = Join-Path $TestDrive 'refine'
            $file = New-SeedreamImage -Prompt 'a cozy room' -ResponseFormat Base64Json | Save-SeedreamResult -Path $folder -PassThru
            $refined = Get-SeedreamImageInfo $file.FullName | Edit-SeedreamImage -Prompt 'warmer light'
            $sent = @(Get-FakeRequest $Fake -Target generate)[-1].body.image
            $sent | Should -HaveCount 1
            $sent[0] | Should -Be ('data:image/jpeg;base64,' + [Convert]::ToBase64String([IO.File]::ReadAllBytes($file.FullName)))
            $refined.Request.References[0].Kind | Should -Be 'File'
            $refined.Request.References[0].Name | Should -Be $file.Name
        }
    }
}
