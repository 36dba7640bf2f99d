# Layer decomposition (Split-SeedreamImage) and transparent backgrounds (-Background), from the pipeline to the files,
# against the fake API over HTTP: what goes on the wire, what comes out in which order, what is saved, and every refusal
# before any request. Prices in the -WhatIf and default-model tests are hand-computed from the contract's price table.
Describe 'Layers' {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'TestSetup.ps1')
        $script:ModuleBase = (Get-Module Seedream).ModuleBase

        function Get-Generation { @(Get-FakeRequest $Fake -Target generate) }

        # The pixel size and IHDR colour type of a PNG file, or the size of a JPEG from its SOF marker.
        function Get-PixelFacts([string] $Path) {
            $bytes = [IO.File]::ReadAllBytes($Path)
            if ($bytes[0] -eq 0x89) {
                $width = ([int]$bytes[16] -shl 24) + ([int]$bytes[17] -shl 16) + ([int]$bytes[18] -shl 8) + $bytes[19]
                $height = ([int]$bytes[20] -shl 24) + ([int]$bytes[21] -shl 16) + ([int]$bytes[22] -shl 8) + $bytes[23]
                return [pscustomobject]@{ Format = 'png'; Width = $width; Height = $height; ColourType = $bytes[25] }
            }
            $info = Get-SeedreamImageInfo -LiteralPath $Path
            [pscustomobject]@{ Format = 'jpeg'; Width = $info.Width; Height = $info.Height; ColourType = $null }
        }

        # A small but whole PNG: IHDR of the given size and colour type (6 has alpha, 2 has none), an IDAT, IEND.
        function New-PngFile([string] $Path, [int] $Width, [int] $Height, [byte] $ColourType) {
            $bytes = [System.Collections.Generic.List[byte]]::new()
            $bytes.AddRange([byte[]](0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52))
            foreach ($value in $Width, $Height) { $bytes.AddRange([byte[]]@((($value -shr 24) -band 0xFF), (($value -shr 16) -band 0xFF), (($value -shr 8) -band 0xFF), ($value -band 0xFF))) }
            $bytes.AddRange([byte[]](8, $ColourType, 0, 0, 0, 0, 0, 0, 0))
            $bytes.AddRange([byte[]](0, 0, 0, 2, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0, 0, 0, 0))
            $bytes.AddRange([byte[]](0, 0, 0, 0, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82))
            [IO.File]::WriteAllBytes($Path, $bytes.ToArray())
            Get-Item $Path
        }

        function Invoke-ChildPowerShell([string] $Script) {
            # -WhatIf messages go to the host: read them from a child PowerShell (under 'dotnet pwsh', PowerShell is pwsh.dll).
            $exe = [Environment]::ProcessPath
            $arguments = @(if ((Split-Path $exe -Leaf) -like 'dotnet*') { Join-Path $PSHOME 'pwsh.dll' })
            $prelude = "`$ProgressPreference = 'SilentlyContinue'; Set-Location -LiteralPath '$Folder'; Import-Module '$ModuleBase'; "
            (& $exe @arguments -NoProfile -NonInteractive -Command ($prelude + $Script) 2>&1 | ForEach-Object { "$_" }) -join "`n"
        }

        $script:Folder = Join-Path ([IO.Path]::GetTempPath()) ("seedream-layers-" + [guid]::NewGuid().ToString('N'))
        $null = New-Item -ItemType Directory -Path $Folder
        Push-Location $Folder
        $null = New-TestImageFile -Path (Join-Path $Folder 'poster.png') -Width 1200 -Height 900
        $null = New-TestImageFile -Path (Join-Path $Folder 'product.png') -Width 800 -Height 1000
        $null = New-TestImageFile -Path (Join-Path $Folder 'thumb.png') -Width 511 -Height 1024
        $null = New-PngFile -Path (Join-Path $Folder 'cutout.png') -Width 512 -Height 512 -ColourType 6
        $null = New-PngFile -Path (Join-Path $Folder 'flat.png') -Width 512 -Height 512 -ColourType 2
    }
    AfterAll {
        Pop-Location
        Remove-Item -LiteralPath $Folder -Recurse -Force -ErrorAction SilentlyContinue
        . (Join-Path $PSScriptRoot 'TestTeardown.ps1')
    }
    BeforeEach { Reset-FakeSeedreamApi $Fake }

    Context 'Split-SeedreamImage' {
        It 'Get-Item ./poster.png | Split-SeedreamImage | Save-SeedreamResult -Path ./layers -PassThru writes the base and every layer in stacking order, then the manifest' {
            $files = @(Get-Item ./poster.png | Split-SeedreamImage | Save-SeedreamResult -Path ./layers -PassThru)

            $sent = Get-Generation
            $sent | Should -HaveCount 1
            $body = $sent[0].body
            $body.layer_decomposition | Should -BeTrue
            $body.size | Should -Be 'auto'
            $body.prompt | Should -Be ''
            @($body.image) | Should -HaveCount 1
            @($body.image)[0] | Should -Match '^data:image/png;base64,'
            $body.PSObject.Properties.Name | Should -Not -Contain 'background'

            $manifestFile = $files[-1]
            $manifestFile.Name | Should -Match '\.layers\.json$'
            $images = @($files | Select-Object -SkipLast 1)
            $images.Count | Should -BeGreaterThan 1 -Because 'a base image and at least one layer'
            @($images | ForEach-Object Name) | Should -Be @($images | ForEach-Object Name | Sort-Object) -Because 'the names sort in stacking order'
            @(Get-ChildItem ./layers -File | Where-Object Name -NotMatch '\.layers\.json$') | Should -HaveCount $images.Count

            $manifest = Get-Content -LiteralPath $manifestFile.FullName -Raw | ConvertFrom-Json
            $manifest.layers | Should -HaveCount $images.Count
            $manifest.width | Should -Be 1200 -Because 'size auto follows the input image'
            $manifest.height | Should -Be 900
            for ($z = 0; $z -lt $images.Count; $z++) {
                $entry = $manifest.layers[$z]
                $entry.zIndex | Should -Be $z
                $entry.file | Should -Be $images[$z].Name
                $images[$z].Name | Should -Match ('-{0:D2}-' -f $z)
                $facts = Get-PixelFacts $images[$z].FullName
                ($entry.boundingBox.right - $entry.boundingBox.left) | Should -Be $facts.Width
                ($entry.boundingBox.bottom - $entry.boundingBox.top) | Should -Be $facts.Height
                if ($z -eq 0) {
                    $images[0].Name | Should -Match '-00-base\.jpg$'
                    $facts.Format | Should -Be 'jpeg'
                }
                else {
                    $facts.Format | Should -Be 'png'
                    $facts.ColourType | Should -Be 6 -Because 'a layer is a PNG with an alpha channel'
                    $entry.name | Should -Not -BeNullOrEmpty
                    $entry.description | Should -Not -BeNullOrEmpty
                    $images[$z].Name | Should -Match ('-{0:D2}-{1}\.png$' -f $z, [regex]::Escape(($entry.name -replace '[^\w.-]', '_')))
                    $entry.boundingBox.right | Should -BeLessOrEqual 1200
                    $entry.boundingBox.bottom | Should -BeLessOrEqual 900
                    $entry.normalizedBoundingBox.left | Should -Be ([Math]::Floor($entry.boundingBox.left * 1000 / 1200))
                }
            }
            Get-Content -LiteralPath $manifestFile.FullName -Raw | Should -Not -Match ([regex]::Escape($Folder)) -Because 'the manifest names files, not machine paths'
        }

        It 'writes layers in stacking order with a LayerSetId per answer: one request per input image' {
            $layers = @(Split-SeedreamImage -Path ./p*.png)
            $sent = Get-Generation
            $sent | Should -HaveCount 2
            $sent | ForEach-Object { @($_.body.image) | Should -HaveCount 1 }
            $sets = @($layers | Group-Object LayerSetId)
            $sets | Should -HaveCount 2
            foreach ($set in $sets) {
                @($set.Group | ForEach-Object ZIndex) | Should -Be (0..($set.Count - 1))
                $set.Group | ForEach-Object { $_.LayerCount | Should -Be $set.Count; $_.Mode | Should -Be 'LayerDecomposition' }
                $set.Group[0].LayerName | Should -Be 'base'
                $set.Group[0].BoundingBox.ToString() | Should -Be ('0,0,{0},{1}' -f $set.Group[0].Width, $set.Group[0].Height)
                foreach ($layer in $set.Group | Select-Object -Skip 1) {
                    $layer.BoundingBox.Width | Should -Be $layer.Width
                    $layer.BoundingBox.Height | Should -Be $layer.Height
                    $layer.BoundingBox.Normalized | Should -Not -BeNullOrEmpty
                    $layer.OutputFormat | Should -Be 'png'
                    $layer.Description | Should -Be $layer.LayerDescription
                }
            }
            ($layers | Where-Object ZIndex -EQ 0 | ForEach-Object Width) | Sort-Object | Should -Be @(800, 1200)
        }

        It 'takes -Prompt, -Size (a tier) and -ResponseFormat, and bills every layer as an image in Cost' {
            $layers = @(Split-SeedreamImage -Image ./poster.png -Prompt 'separate the logo' -Model flash -Size 1K -ResponseFormat Base64Json)
            $body = (Get-Generation)[0].body
            $body.prompt | Should -Be 'separate the logo'
            $body.size | Should -Be '1K'
            $body.response_format | Should -Be 'b64_json'
            $body.model | Should -Be 'seedream-5-0-flash-260915'
            $layers | ForEach-Object { $_.HasImageBytes | Should -BeTrue; $_.Cost | Should -Be 0.018 }
        }

        It 'defaults to the cheapest live model that can decompose at its layer cap: 5.0 Pro on APIYI, 5.0 Flash on BytePlus' {
            # APIYI: Pro $0.12 a request; Flash 17 x $0.018 = $0.306; 5.5 100 x $0.035 + $0.008 = $3.508.
            $null = Split-SeedreamImage -Image ./poster.png -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | Set-Variable said -PassThru
            (Get-Generation)[0].body.model | Should -Be 'seedream-5-0-pro-260628'
            ($said -join "`n") | Should -Match 'No -Model: 5\.0-pro is the cheapest live model on APIYI that splits an image into layers'
            # BytePlus: Pro 17 x $0.09 = $1.53; Flash $0.306; 5.5 $3.508.
            try {
                Connect-Seedream -Provider BytePlus -BaseUri $Fake.ApiBytePlus -ApiKey $Fake.ApiKey
                $null = Split-SeedreamImage -Image ./poster.png
                (Get-Generation)[-1].body.model | Should -Be 'dola-seedream-5-0-flash-260915'
            }
            finally { Disconnect-Seedream }
        }

        It '-WhatIf gives the most the request can cost at the layer cap, every layer billed as an image, and sends nothing' {
            $text = Invoke-ChildPowerShell "`$env:SEEDREAM_BASE_URI = '$($Fake.ApiV1)'; `$env:SEEDREAM_API_KEY = 'k'; Get-Item ./poster.png | Split-SeedreamImage -Model flash -WhatIf"
            $text | Should -Match 'LayerDecomposition with seedream-5-0-flash-260915 on APIYI'
            $text | Should -Match 'up to 17 billed image\(s\) \(the base image and up to 16 layers, each layer billed as an image\)'
            $text | Should -Match ([regex]::Escape('estimated cost up to $0.306 at list price: 17 image(s) x $0.018'))
            $text | Should -Match 'poster\.png'
            Get-Generation | Should -HaveCount 0
        }

        It '-MaxLayers writes the layers up to it and warns that the rest were billed' {
            $layers = @(Split-SeedreamImage -Image ./poster.png -Model 5.5 -MaxLayers 1 -WarningVariable warned -WarningAction SilentlyContinue)
            @($layers | ForEach-Object ZIndex) | Should -Be @(0, 1)
            ($warned -join ' ') | Should -Match 'above -MaxLayers 1: they were billed'
            (Get-Generation)[0].body.PSObject.Properties.Name | Should -Not -Contain 'max_layers' -Because 'the contract has no such field'
        }

        It 'a -CheckpointPath re-run sends nothing and recalls the layers with their place, names and boxes' {
            $journal = Join-Path $Folder 'split.jsonl'
            $first = @(Split-SeedreamImage -Image ./poster.png -Model 5.5 -CheckpointPath $journal)
            $again = @(Split-SeedreamImage -Image ./poster.png -Model 5.5 -CheckpointPath $journal)
            Get-Generation | Should -HaveCount 1 -Because 'the second run is answered from the checkpoint'
            $again | Should -HaveCount $first.Count
            for ($i = 0; $i -lt $first.Count; $i++) {
                $again[$i].FromCheckpoint | Should -BeTrue
                foreach ($property in 'ZIndex', 'LayerName', 'LayerDescription', 'LayerSetId', 'LayerCount', 'Url') { $again[$i].$property | Should -Be $first[$i].$property }
                "$($again[$i].BoundingBox)" | Should -Be "$($first[$i].BoundingBox)"
                "$($again[$i].BoundingBox.Normalized)" | Should -Be "$($first[$i].BoundingBox.Normalized)"
                $again[$i].pstypenames[0] | Should -Be 'Seedream.SeedreamImage#Layer'
            }
        }

        It 'a layer piped into Edit-SeedreamImage is edited like any image' {
            $layer = Split-SeedreamImage -Image ./poster.png -Model 5.5 | Where-Object ZIndex -EQ 1
            $edited = $layer | Edit-SeedreamImage -Prompt 'make it blue' -Model 5.5
            $body = (Get-Generation)[-1].body
            @($body.image) | Should -Be @($layer.Url)
            $body.PSObject.Properties.Name | Should -Not -Contain 'layer_decomposition'
            $edited.Mode | Should -Be 'Edit'
            $edited.ZIndex | Should -BeNullOrEmpty
        }
    }

    Context 'Refusals before any request, each naming its parameter and rule' {
        It 'refuses <Case> with zero requests' -ForEach @(
            @{ Case = 'too small an input'; Call = { Get-Item ./thumb.png | Split-SeedreamImage -Model flash }; Pattern = '^Parameter -Image: the image file .thumb\.png. is 511x1024; layer decomposition needs at least 512x512 pixels' }
            @{ Case = 'more layers than the cap'; Call = { Split-SeedreamImage -Image ./poster.png -Model flash -MaxLayers 17 }; Pattern = '^Parameter -MaxLayers: model 5\.0-flash makes 1 to 16 layers; 17 was given' }
            @{ Case = 'a model that does not decompose'; Call = { Split-SeedreamImage -Image ./poster.png -Model 4.5 }; Pattern = '^Parameter -Model: model seedream-4-5-251128 \(4\.5\) cannot split an image into layers; use 5\.5, 5\.0-pro, 5\.0-flash' }
            @{ Case = 'a tier the model lacks'; Call = { Split-SeedreamImage -Image ./poster.png -Model pro -Size 1.5K }; Pattern = '^Parameter -Size: .1\.5K. is not a tier of model' }
            @{ Case = 'transparent with JPEG'; Call = { New-SeedreamImage -Prompt 'a fox' -Model 5.5 -Background Transparent -OutputFormat Jpeg }; Pattern = '^Parameter -OutputFormat: a transparent background needs -OutputFormat Png; jpeg was given' }
            @{ Case = 'a mode the model does not take'; Call = { New-SeedreamImage -Prompt 'a fox' -Model flash -Background Opaque }; Pattern = "^Parameter -Background: model seedream-5-0-flash-260915 \(5\.0-flash\) takes background transparent; 'opaque' was given" }
            @{ Case = 'a background on a model without it'; Call = { New-SeedreamImage -Prompt 'a fox' -Model 4.5 -Background Auto }; Pattern = '^Parameter -Background: model seedream-4-5-251128 \(4\.5\) has no background setting' }
            @{ Case = 'transparent on Pro without a reference'; Call = { New-SeedreamImage -Prompt 'a fox' -Model pro -Background Transparent }; Pattern = '^Parameter -Background: a transparent background on 5\.0-pro needs exactly 1 reference image\(s\) in png with an alpha channel; 0 were given' }
            @{ Case = 'transparent on Pro with a PNG without alpha'; Call = { Edit-SeedreamImage -Prompt 'cut it out' -Model pro -Background Transparent -Path ./flat.png }; Pattern = "^Parameter -Path: a transparent background on 5\.0-pro needs a reference with an alpha channel; the image file 'flat\.png' has none" }
            @{ Case = 'size auto outside a decomposition'; Call = { New-SeedreamImage -Prompt 'a fox' -Model 5.5 -Size auto }; Pattern = '^Parameter -Size: size auto \(follow the input image\) is only for layer decomposition' }
        ) {
            $refusal = Get-Refusal $Call
            $refusal | Should -Not -BeNullOrEmpty
            $refusal.FullyQualifiedErrorId | Should -Match '^Seedream\.InvalidParameter'
            $refusal.Exception.Message | Should -Match $Pattern
            Get-Generation | Should -HaveCount 0
        }

        It 'sends a Pro transparent edit of one alpha PNG, with png' {
            $null = Edit-SeedreamImage -Prompt 'cut it out' -Model pro -Background Transparent -Path ./cutout.png
            $body = (Get-Generation)[0].body
            $body.background | Should -Be 'transparent'
            $body.output_format | Should -Be 'png'
        }

        It 'has no -Background on Split-SeedreamImage: a layer is always a transparent PNG' {
            (Get-Command Split-SeedreamImage).Parameters.Keys | Should -Not -Contain 'Background'
            (Get-Command Split-SeedreamImage).Parameters.Keys | Should -Not -Contain 'MaxImages'
            (Get-Command Split-SeedreamImage).Parameters.Keys | Should -Not -Contain 'Stream'
        }
    }

    Context 'Transparent backgrounds' {
        It "New-SeedreamImage -Prompt 'a sticker of a fox' -Model 5.5 -Background Transparent sends png and transparent" {
            $image = New-SeedreamImage -Prompt 'a sticker of a fox' -Model 5.5 -Background Transparent
            $sent = Get-Generation
            $sent | Should -HaveCount 1
            $sent[0].body.model | Should -Be 'seedream-5-5-261028'
            $sent[0].body.output_format | Should -Be 'png'
            $sent[0].body.background | Should -Be 'transparent'
            $image.OutputFormat | Should -Be 'png'
            $image.Background | Should -Be 'transparent'
            $image.Request.Background | Should -Be 'transparent'
        }

        It 'sends -Background Opaque as is, with no output format of its own' {
            $null = New-SeedreamImage -Prompt 'a fox' -Model 5.5 -Background Opaque
            $body = (Get-Generation)[0].body
            $body.background | Should -Be 'opaque'
            $body.PSObject.Properties.Name | Should -Not -Contain 'output_format'
        }

        It 'completes the values of -Background on <Command>' -ForEach @(@{ Command = 'New-SeedreamImage' }, @{ Command = 'Edit-SeedreamImage' }) {
            $line = "$Command -Model 5.5 -Background "
            (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Sort-Object | Should -Be @('Auto', 'Opaque', 'Transparent')
            $line = "$Command -Background T"
            (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be @('Transparent')
        }

        It 'completes size auto for Split-SeedreamImage only' {
            $line = 'Split-SeedreamImage -Model flash -Size '
            (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Contain 'auto'
            $line = 'New-SeedreamImage -Model flash -Size '
            (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Not -Contain 'auto'
        }
    }

    Context 'Saving layer sets' {
        It 'names layers with {z} and {layer} and the manifest after the rest of the template' {
            $folder = Join-Path $Folder 'named'
            $names = @(Split-SeedreamImage -Image ./poster.png -Model 5.5 | Save-SeedreamResult -Path $folder -NameTemplate 'poster-{z}-{layer}' -PassThru | ForEach-Object Name)
            $names[0] | Should -Be 'poster-00-base.jpg'
            $names[-1] | Should -Be 'poster.layers.json'
            $names | Select-Object -Skip 1 -SkipLast 1 | ForEach-Object { $_ | Should -Match '^poster-\d\d-[\w.-]+\.png$' }
        }

        It '-WhatIf names every file and the manifest once, and writes nothing' {
            $layers = @(Split-SeedreamImage -Image ./poster.png -Model 5.5)
            $xml = Join-Path $Folder 'whatif.clixml'
            $layers | Export-Clixml -LiteralPath $xml
            $text = Invoke-ChildPowerShell "Import-Clixml -LiteralPath '$xml' | Save-SeedreamResult -Path ./whatif -NameTemplate 'poster-{z}-{layer}' -WhatIf"
            @([regex]::Matches($text, 'What if: Performing the operation "Save Seedream image"')).Count | Should -Be $layers.Count
            @([regex]::Matches($text, 'What if: Performing the operation "Save Seedream layer manifest" on target "[^"]*poster\.layers\.json"')).Count | Should -Be 1
            Test-Path (Join-Path $Folder 'whatif') | Should -BeFalse
        }

        It 'writes no manifest with -NoLayerManifest' {
            $folder = Join-Path $Folder 'bare'
            $files = @(Split-SeedreamImage -Image ./poster.png -Model 5.5 | Save-SeedreamResult -Path $folder -NoLayerManifest -PassThru)
            $files | ForEach-Object { $_.Name | Should -Not -Match '\.json$' }
            Get-ChildItem $folder -Filter *.json | Should -BeNullOrEmpty
        }

        It 'writes the manifest of a set saved in part with the images that were saved' {
            $folder = Join-Path $Folder 'part'
            $layers = @(Split-SeedreamImage -Image ./poster.png -Model 5.5)
            $null = $layers | Where-Object ZIndex -NE 1 | Save-SeedreamResult -Path $folder
            $manifest = Get-Content (Get-ChildItem $folder -Filter *.layers.json).FullName -Raw | ConvertFrom-Json
            @($manifest.layers | ForEach-Object zIndex) | Should -Be @($layers | Where-Object ZIndex -NE 1 | ForEach-Object ZIndex)
            $manifest.images | Should -Be $layers.Count
        }

        It 'keeps the layer fields of layers read back with Import-Clixml, and saves them under the same names' {
            $layers = @(Split-SeedreamImage -Image ./poster.png -Model 5.5)
            $xml = Join-Path $Folder 'layers.clixml'
            $layers | Export-Clixml -LiteralPath $xml
            $back = @(Import-Clixml -LiteralPath $xml)
            for ($i = 0; $i -lt $layers.Count; $i++) {
                foreach ($property in 'ZIndex', 'LayerName', 'LayerDescription', 'LayerSetId', 'LayerCount') { $back[$i].$property | Should -Be $layers[$i].$property }
                "$($back[$i].BoundingBox)" | Should -Be "$($layers[$i].BoundingBox)"
                "$($back[$i].BoundingBox.Normalized)" | Should -Be "$($layers[$i].BoundingBox.Normalized)"
            }
            $direct = @($layers | Save-SeedreamResult -Path (Join-Path $Folder 'direct') -PassThru | ForEach-Object Name)
            $rebuilt = @($back | Save-SeedreamResult -Path (Join-Path $Folder 'rebuilt') -PassThru | ForEach-Object Name)
            $rebuilt | Should -Be $direct
        }

        It 'records a layer''s place in the saved file''s provenance' {
            $layer = Split-SeedreamImage -Image ./poster.png -Model 5.5 | Where-Object ZIndex -EQ 2
            $file = $layer | Save-SeedreamResult -Path (Join-Path $Folder 'provenance') -PassThru -NoLayerManifest
            $info = Get-SeedreamImageInfo -LiteralPath $file.FullName
            $info.ZIndex | Should -Be 2
            $info.BoundingBox | Should -Be $layer.BoundingBox.ToString()
            $info.LayerName | Should -Be $layer.LayerName
            $info.LayerDescription | Should -Be $layer.LayerDescription
            $info.LayerDecomposition | Should -BeTrue
            $info.Command | Should -Be 'Split-SeedreamImage'
            $first = (Get-Generation)[0].body | ConvertTo-Json -Depth 5 -Compress
            $p = $info.Parameters
            $null = & $info.Command @p
            (Get-Generation)[-1].body | ConvertTo-Json -Depth 5 -Compress | Should -Be $first -Because 'the record sends the same request again'
        }
    }

    Context 'Views' {
        It 'shows layers as a table of Z, layer, size, box, format and description within 80 columns' {
            $layers = @(Split-SeedreamImage -Image ./poster.png -Model 5.5)
            $lines = @($layers | Out-String -Width 80) -split "`n" | Where-Object { $_ -match '\S' }
            $lines | Where-Object { $_ -match '^\s*Z\s+Layer\s+Size\s+BoundingBox\s+Format\s+Description\s*$' } | Should -HaveCount 1
            $lines | Where-Object { $_ -match 'LayerSet: [0-9a-f]{8}: the base and \d+ layer\(s\)' } | Should -HaveCount 1
            $lines | Where-Object { $_ -match '^\s*0\s+base\s+1200x900\s+0,0,1200,900\s+jpeg' } | Should -HaveCount 1
            $lines | ForEach-Object { $_.TrimEnd().Length | Should -BeLessOrEqual 80 }
            $layers[1] | Format-List | Out-String | Should -Match 'ZIndex\s*:\s*1'
            New-SeedreamImage -Prompt 'a fox' | Format-List | Out-String | Should -Not -Match 'ZIndex'
        }
    }
}
