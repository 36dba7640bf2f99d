# The foundation: the five modes' exact wire JSON, typed results, the New | Edit | Save pipeline, keys.
Describe 'Foundation' {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'TestSetup.ps1')
        function Get-LastBody { @(Get-FakeRequest $Fake -Target generate)[-1].body }
    }
    AfterAll { . (Join-Path $PSScriptRoot 'TestTeardown.ps1') }
    BeforeEach {
        Reset-FakeSeedreamApi $Fake
        Disconnect-Seedream
    }

    Describe 'Module' {
        It 'exports exactly the documented cmdlets' {
            $names = (Get-Command -Module Seedream).Name | Sort-Object
            $names | Should -Be @('Connect-Seedream', 'Disconnect-Seedream', 'Edit-SeedreamImage', 'Export-SeedreamGallery', 'Get-SeedreamConnection',
                'Get-SeedreamImageInfo', 'Get-SeedreamModel', 'New-SeedreamImage', 'Save-SeedreamResult', 'Split-SeedreamImage')
        }

        It 'ships a valid manifest for Desktop and Core, without PowerShell''s own assemblies' {
            $folder = Split-Path (Get-Module Seedream).Path
            $manifest = Test-ModuleManifest (Join-Path $folder 'Seedream.psd1')
            $manifest.CompatiblePSEditions | Should -Be @('Desktop', 'Core')
            $manifest.PowerShellVersion | Should -Be '5.1'
            Join-Path $folder 'System.Management.Automation.dll' | Should -Not -Exist
            Join-Path $folder 'Seedream.Format.ps1xml' | Should -Exist
        }
    }

    Describe 'Wire JSON of the five modes' {
        It 'text to image: top-level snake_case fields, disabled sequence, watermark false, no image' {
            $image = New-SeedreamImage -Prompt 'a red fox'
            $body = Get-LastBody
            $body.model | Should -Be 'seedream-5-0-260128'
            $body.prompt | Should -Be 'a red fox'
            $body.sequential_image_generation | Should -Be 'disabled'
            $body.watermark | Should -BeFalse
            $body.response_format | Should -Be 'url'
            $body.PSObject.Properties.Name | Should -Not -Contain 'image'
            $body.PSObject.Properties.Name | Should -Not -Contain 'extra_body'
            $body.PSObject.Properties.Name | Should -Not -Contain 'sequential_image_generation_options'
            $image | Should -HaveCount 1
            $image.GetType().FullName | Should -Be 'Seedream.SeedreamImage'
        }

        It 'single-image edit: image is a one-item array' {
            $null = Edit-SeedreamImage -Prompt 'make it night' -Image 'https://img.example/a.png'
            $body = Get-LastBody
            , $body.image | Should -BeOfType [object[]]
            $body.image | Should -Be @('https://img.example/a.png')
            $body.sequential_image_generation | Should -Be 'disabled'
        }

        It 'multi-image fusion: -Image a,b,c keeps the order in one request' {
            $null = Edit-SeedreamImage -Prompt 'image 1 wearing image 2 in the light of image 3' -Image 'https://img.example/1.png', 'https://img.example/2.png', 'https://img.example/3.png'
            (Get-FakeRequest $Fake -Target generate) | Should -HaveCount 1
            (Get-LastBody).image | Should -Be @('https://img.example/1.png', 'https://img.example/2.png', 'https://img.example/3.png')
        }

        It 'batch sequence: auto with max_images, one result per image' {
            $images = New-SeedreamImage -Prompt 'four storyboard scenes' -MaxImages 4
            $body = Get-LastBody
            $body.sequential_image_generation | Should -Be 'auto'
            $body.sequential_image_generation_options.max_images | Should -Be 4
            $images | Should -HaveCount 4
            $images.Index | Should -Be @(0, 1, 2, 3)
        }

        It 'image to sequence: an image array with auto and max_images' {
            $images = Edit-SeedreamImage -Prompt 'three variations' -Image 'https://img.example/a.png' -MaxImages 3
            $body = Get-LastBody
            $body.image | Should -Be @('https://img.example/a.png')
            $body.sequential_image_generation | Should -Be 'auto'
            $body.sequential_image_generation_options.max_images | Should -Be 3
            $images | Should -HaveCount 3
            $images[0].Mode | Should -Be 'ImageToSequence'
        }

        It 'sends watermark true only with -Watermark, and the chosen size, format and output format' {
            $null = New-SeedreamImage -Prompt 'p' -Watermark -Size 2048x2048 -ResponseFormat Base64Json -OutputFormat Png -Model 5.0-lite
            $body = Get-LastBody
            $body.watermark | Should -BeTrue
            $body.size | Should -Be '2048x2048'
            $body.response_format | Should -Be 'b64_json'
            $body.output_format | Should -Be 'png'
        }
    }

    Describe 'Wire JSON of each model on each provider' {
        BeforeDiscovery {
            $script:Lineup = foreach ($provider in 'APIYI', 'BytePlus', 'Volcengine') {
                foreach ($row in @(
                        @{ Model = '5.5'; Ids = @{ APIYI = 'seedream-5-5-261028'; BytePlus = 'dola-seedream-5-5-261028'; Volcengine = 'doubao-seedream-5-5-261028' }; Sequence = $false }
                        @{ Model = '5.0-pro'; Ids = @{ APIYI = 'seedream-5-0-pro-260628'; BytePlus = 'dola-seedream-5-0-pro-260628'; Volcengine = 'doubao-seedream-5-0-pro-260628' }; Sequence = $false }
                        @{ Model = '5.0-flash'; Ids = @{ APIYI = 'seedream-5-0-flash-260915'; BytePlus = 'dola-seedream-5-0-flash-260915'; Volcengine = 'doubao-seedream-5-0-flash-260915' }; Sequence = $false }
                        @{ Model = '5.0-lite'; Ids = @{ APIYI = 'seedream-5-0-260128'; BytePlus = 'seedream-5-0-260128' }; Sequence = $true }
                        @{ Model = '4.5'; Ids = @{ APIYI = 'seedream-4-5-251128'; BytePlus = 'seedream-4-5-251128'; Volcengine = 'doubao-seedream-4-5-251128' }; Sequence = $true }
                        @{ Model = '4.0'; Ids = @{ APIYI = 'seedream-4-0-250828'; BytePlus = 'seedream-4-0-250828'; Volcengine = 'doubao-seedream-4-0-250828' }; Sequence = $true }
                    )) {
                    if ($row.Ids[$provider]) { @{ Provider = $provider; Model = $row.Model; Id = $row.Ids[$provider]; Sequence = $row.Sequence } }
                }
            }
        }

        It '<Model> on <Provider>: text to image and edit send exactly the fields it accepts, as <Id>' -ForEach $Lineup {
            Connect-Seedream -Provider $Provider -BaseUri $Fake."Api$Provider"
            $sequence = if ($Sequence) { '"sequential_image_generation":"disabled",' } else { '' }
            $null = New-SeedreamImage -Prompt 'a lighthouse' -Model $Model -WarningAction SilentlyContinue
            $null = Edit-SeedreamImage -Prompt 'at night' -Model $Model -Image 'https://img.example/a.png' -WarningAction SilentlyContinue
            $requests = @(Get-FakeRequest $Fake -Target generate)
            $requests.status | Should -Be @(200, 200)
            $requests[0].body | ConvertTo-Json -Compress -Depth 5 |
                Should -BeExactly ('{"model":"' + $Id + '","prompt":"a lighthouse",' + $sequence + '"response_format":"url","watermark":false}')
            $requests[1].body | ConvertTo-Json -Compress -Depth 5 |
                Should -BeExactly ('{"model":"' + $Id + '","prompt":"at night","image":["https://img.example/a.png"],' + $sequence + '"response_format":"url","watermark":false}')
        }

        It 'New-SeedreamImage -Model 5.5 | Save-SeedreamResult works on <Provider>' -ForEach @(
            @{ Provider = 'APIYI'; Id = 'seedream-5-5-261028' }
            @{ Provider = 'BytePlus'; Id = 'dola-seedream-5-5-261028' }
            @{ Provider = 'Volcengine'; Id = 'doubao-seedream-5-5-261028' }
        ) {
            Connect-Seedream -Provider $Provider -BaseUri $Fake."Api$Provider"
            $folder = Join-Path $TestDrive "lighthouse-$Provider"
            $files = New-SeedreamImage -Prompt 'a lighthouse' -Model 5.5 | Save-SeedreamResult -Path $folder -PassThru
            $files | Should -HaveCount 1
            [IO.File]::ReadAllBytes($files[0].FullName)[0..2] | Should -Be @(0xFF, 0xD8, 0xFF)
            $request = @(Get-FakeRequest $Fake -Target generate)
            $request | Should -HaveCount 1
            $request[0].body.model | Should -BeExactly $Id
            $request[0].body.PSObject.Properties.Name | Should -Not -Contain 'sequential_image_generation'
            $request[0].body.PSObject.Properties.Name | Should -Not -Contain 'stream'
            @(Get-FakeRequest $Fake -Target models) | Should -HaveCount 0 -Because 'only Get-SeedreamModel -Online asks for the listing'
        }
    }

    Describe 'Results' {
        It 'carries index, URL, size, model, prompt, times and usage' {
            $image = New-SeedreamImage -Prompt 'a lighthouse' -Size 2K
            $image.Index | Should -Be 0
            $image.Url | Should -Match '^http://127\.0\.0\.1:\d+/files/'
            $image.Size | Should -Be '2048x2048'
            $image.Width | Should -Be 2048
            $image.Height | Should -Be 2048
            $image.Model | Should -Be 'seedream-5-0-260128'
            $image.Prompt | Should -Be 'a lighthouse'
            $image.Created | Should -BeOfType [DateTimeOffset]
            $image.ExpiresAt | Should -Be $image.Created.AddHours(24)
            $image.OutputFormat | Should -Be 'jpeg'
            $image.Usage.GeneratedImages | Should -Be 1
            $image.Usage.OutputTokens | Should -Be ([Math]::Round(2048 * 2048 / 256))
            $image.RequestId | Should -Match '^req-'
        }

        It 'carries the answer''s output format, background, input image count and the list-price cost (<Case>)' -ForEach @(
            @{ Case = '5.5 on BytePlus, 2 references, png'; Provider = 'BytePlus'; Model = '5.5'; References = 2; Arguments = @{ OutputFormat = 'Png' }; Format = 'png'; InputImages = 2; Cost = 0.051 }
            @{ Case = '5.0 Pro on APIYI, one request price'; Provider = 'APIYI'; Model = 'pro'; References = 3; Arguments = @{ Size = '1K' }; Format = 'jpeg'; InputImages = 3; Cost = 0.12 }
            @{ Case = '5.0 Pro on BytePlus, 1K and 3 references'; Provider = 'BytePlus'; Model = 'pro'; References = 3; Arguments = @{ Size = '1K' }; Format = 'jpeg'; InputImages = 3; Cost = 0.051 }
            @{ Case = '5.0 Flash on Volcengine'; Provider = 'Volcengine'; Model = 'flash'; References = 1; Arguments = @{}; Format = 'jpeg'; InputImages = 1; Cost = 0.018 }
            @{ Case = '4.5, which does not state them'; Provider = 'APIYI'; Model = '4.5'; References = 1; Arguments = @{}; Format = 'jpeg'; InputImages = $null; Cost = 0.04 }
        ) {
            Connect-Seedream -Provider $Provider -BaseUri $Fake."Api$Provider"
            $image = Edit-SeedreamImage -Prompt 'p' -Model $Model -Image (1..$References | ForEach-Object { "https://img.example/$_.png" }) @Arguments
            $image | Should -HaveCount 1
            $image.OutputFormat | Should -Be $Format
            $image.Usage.InputImages | Should -Be $InputImages
            $image.Cost | Should -Be ([decimal]$Cost)
        }

        It 'takes the output format and background from the answer, not from the parameters' {
            # Both reach the wire only through -AdditionalBody: the result can learn them from the answer alone.
            $image = New-SeedreamImage -Prompt p -Model 5.5 -AdditionalBody @{ output_format = 'png'; background = 'opaque' }
            $body = (Get-FakeRequest $Fake -Target generate)[0].body
            $body.output_format | Should -Be 'png'
            $body.background | Should -Be 'opaque'
            $image.OutputFormat | Should -Be 'png'
            $image.Background | Should -Be 'opaque'
            (New-SeedreamImage -Prompt p -Model 4.5).Background | Should -BeNullOrEmpty
        }

        It 'shares a sequence''s cost between its images' {
            $images = New-SeedreamImage -Prompt p -Model 4.0 -MaxImages 3
            $images.Cost | Should -Be @(0.03, 0.03, 0.03)
        }

        It 'decodes b64_json to bytes and never shows them in the default view' {
            $image = New-SeedreamImage -Prompt 'inline' -ResponseFormat Base64Json
            $image.Url | Should -BeNullOrEmpty
            $image.ExpiresAt | Should -BeNullOrEmpty
            $image.ImageBytes.Length | Should -BeGreaterThan 100
            $table = $image | Format-Table | Out-String -Width 250
            $list = $image | Format-List | Out-String -Width 250
            $b64 = [Convert]::ToBase64String($image.ImageBytes, 0, 30)
            $table | Should -Not -Match ([regex]::Escape($b64))
            $list | Should -Not -Match ([regex]::Escape($b64))
            $table | Should -Match 'bytes inline'
        }

        It 'takes the prompt from the pipeline by value and by property name' {
            $byValue = 'one', 'two' | New-SeedreamImage
            $byValue.Prompt | Should -Be @('one', 'two')
            $byName = [pscustomobject]@{ Prompt = 'three' } | New-SeedreamImage
            $byName.Prompt | Should -Be 'three'
        }
    }

    Describe 'The New | Edit | Save pipeline' {
        BeforeAll { $shots = Join-Path $TestDrive 'shots' }

        It 'writes a real image file and returns its FileInfo' {
            $files = New-SeedreamImage -Prompt 'a red fox' | Edit-SeedreamImage -Prompt 'make it night' | Save-SeedreamResult -Path $shots -PassThru
            $files | Should -HaveCount 1
            $files[0] | Should -BeOfType [System.IO.FileInfo]
            $files[0].Extension | Should -Be '.jpg'
            $bytes = [IO.File]::ReadAllBytes($files[0].FullName)
            $bytes[0..2] | Should -Be @(0xFF, 0xD8, 0xFF)
            $generated = Get-FakeRequest $Fake -Target generate
            $generated | Should -HaveCount 2
            $generated[1].body.image[0] | Should -Match '/files/'
            Get-ChildItem $shots -Force | Where-Object Name -Like '*.partial' | Should -BeNullOrEmpty
        }

        It 'edits each piped image on its own, and -Fuse gathers them into one request in order' {
            $urls = 'https://img.example/1.png', 'https://img.example/2.png', 'https://img.example/3.png'
            $separate = $urls | Edit-SeedreamImage -Prompt 'sepia'
            $separate | Should -HaveCount 3
            (Get-FakeRequest $Fake -Target generate) | Should -HaveCount 3
            Reset-FakeSeedreamApi $Fake
            $fused = $urls | Edit-SeedreamImage -Prompt 'combine' -Fuse
            $fused | Should -HaveCount 1
            $requests = Get-FakeRequest $Fake -Target generate
            $requests | Should -HaveCount 1
            $requests[0].body.image | Should -Be $urls
        }

        It 'saves inline b64 results by their bytes, with the extension of the real format' {
            $file = New-SeedreamImage -Prompt 'png please' -Model 5.0-lite -OutputFormat Png -ResponseFormat Base64Json |
                Save-SeedreamResult -Path $shots -PassThru
            $file.Extension | Should -Be '.png'
            (Get-FakeRequest $Fake -Target download) | Should -HaveCount 0
        }

        It 'refuses to overwrite without -Force and overwrites with it' {
            $image = New-SeedreamImage -Prompt 'twice'
            $first = $image | Save-SeedreamResult -Path $shots -PassThru
            $second = $image | Save-SeedreamResult -Path $shots -PassThru -ErrorVariable saveErrors -ErrorAction SilentlyContinue
            $second | Should -BeNullOrEmpty
            $saveErrors[0].FullyQualifiedErrorId | Should -BeLike 'Seedream.FileExists*'
            $third = $image | Save-SeedreamResult -Path $shots -PassThru -Force
            $third.FullName | Should -Be $first.FullName
        }

        It 'saves results that lost their type on the way (Export-Clixml / Import-Clixml, as through a job or remoting)' {
            $xml = Join-Path $TestDrive 'results.xml'
            @(New-SeedreamImage -Prompt 'by url'; New-SeedreamImage -Prompt 'inline' -ResponseFormat Base64Json) | Export-Clixml $xml
            $restored = Import-Clixml $xml
            $restored[0] | Should -BeOfType [Seedream.SeedreamImage] -Because 'Seedream.Types.ps1xml rehydrates deserialized results'
            $files = $restored | Save-SeedreamResult -Path (Join-Path $TestDrive 'restored') -PassThru
            $files | Should -HaveCount 2
            foreach ($file in $files) { [IO.File]::ReadAllBytes($file.FullName)[0..2] | Should -Be @(0xFF, 0xD8, 0xFF) }
            @(Get-FakeRequest $Fake -Target download) | Should -HaveCount 1
        }

        It 'never sends the API key to the image host' {
            $null = New-SeedreamImage -Prompt 'x' | Save-SeedreamResult -Path $shots -Force
            $download = Get-FakeRequest $Fake -Target download
            $download | Should -HaveCount 1
            $download[0].authorization | Should -Be 'missing'
            (Get-FakeRequest $Fake -Target generate)[0].authorization | Should -Be 'ok'
        }

        It 'creates the folder when it is missing' {
            $deep = Join-Path $TestDrive 'a/b/c'
            $file = New-SeedreamImage -Prompt 'deep' | Save-SeedreamResult -Path $deep -PassThru
            $file.DirectoryName | Should -Be (Resolve-Path $deep).Path
        }
    }

    Describe 'API key' {
        It 'stops with Seedream.NoApiKey before any request when there is none' {
            $saved = $env:SEEDREAM_API_KEY
            try {
                Remove-Item Env:SEEDREAM_API_KEY
                { New-SeedreamImage -Prompt 'x' } | Should -Throw -ErrorId 'Seedream.NoApiKey*'
                (Get-FakeRequest $Fake) | Should -HaveCount 0
            }
            finally { $env:SEEDREAM_API_KEY = $saved }
        }

        It 'takes -ApiKey as a string or a SecureString, ahead of the environment' {
            $saved = $env:SEEDREAM_API_KEY
            try {
                $env:SEEDREAM_API_KEY = 'wrong-key'
                { New-SeedreamImage -Prompt 'x' -ErrorAction Stop } | Should -Throw -ErrorId 'Seedream.Authentication*'
                $null = New-SeedreamImage -Prompt 'x' -ApiKey $Fake.ApiKey
                $null = New-SeedreamImage -Prompt 'x' -ApiKey (ConvertTo-SecureString $Fake.ApiKey -AsPlainText -Force)
                (Get-FakeRequest $Fake).authorization | Should -Be @('wrong', 'ok', 'ok')
            }
            finally { $env:SEEDREAM_API_KEY = $saved }
        }

        It 'tells the request and the answer in -Verbose without the key' {
            $verbose = New-SeedreamImage -Prompt 'verbose fox' -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
            $text = $verbose.Message -join "`n"
            $text | Should -Match ([regex]::Escape("POST $($Fake.ApiV1)/images/generations"))
            $text | Should -Match 'model=seedream-5-0-260128 mode=TextToImage references=0'
            $text | Should -Match 'HTTP 200, request id req-'
            $text | Should -Match '1 image\(s\) in'
            $text | Should -Not -Match ([regex]::Escape($Fake.ApiKey))
        }
    }
}
