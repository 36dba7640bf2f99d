# Validation before any request: every rule of issue 3 is refused at zero cost (no request reaches the fake API),
# with a terminating error that names the parameter and the rule; the edge values that are allowed get a real 200.
Describe 'Validation before any request' {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'TestSetup.ps1')

        function Get-LastBody { @(Get-FakeRequest $Fake -Target generate)[-1].body }



        # A minimal GIF header (GIF89a, little-endian width and height): a second format for the file checks.
        function New-TestGifFile([string] $Path, [int] $Width, [int] $Height) {
            $bytes = [byte[]](0x47, 0x49, 0x46, 0x38, 0x39, 0x61, ($Width -band 0xFF), ($Width -shr 8), ($Height -band 0xFF), ($Height -shr 8), 0, 0, 0, 0x3B)
            [System.IO.File]::WriteAllBytes($Path, $bytes)
            Get-Item $Path
        }


        $script:Folder = Join-Path ([System.IO.Path]::GetTempPath()) ("seedream-validation-" + [guid]::NewGuid().ToString('N'))
        $null = New-Item -ItemType Directory -Path $Folder
        Push-Location $Folder
        $null = New-TestImageFile -Path (Join-Path $Folder 'ok.png') -Width 64 -Height 64
        $null = New-TestImageFile -Path (Join-Path $Folder 'narrow14.png') -Width 14 -Height 64
        $null = New-TestImageFile -Path (Join-Path $Folder 'short14.png') -Width 64 -Height 14
        $null = New-TestImageFile -Path (Join-Path $Folder 'side15.png') -Width 15 -Height 15
        $null = New-TestImageFile -Path (Join-Path $Folder 'wide17.png') -Width 256 -Height 15
        $null = New-TestImageFile -Path (Join-Path $Folder 'tall17.png') -Width 15 -Height 256
        $null = New-TestImageFile -Path (Join-Path $Folder 'wide16.png') -Width 240 -Height 15
        $null = New-TestImageFile -Path (Join-Path $Folder 'tall16.png') -Width 15 -Height 240
        $null = New-TestImageFile -Path (Join-Path $Folder 'huge.png') -Width 6001 -Height 6000
        $null = New-TestImageFile -Path (Join-Path $Folder 'max36m.png') -Width 6000 -Height 6000
        $headerLength = (Get-Item (Join-Path $Folder 'ok.png')).Length
        $null = New-TestImageFile -Path (Join-Path $Folder 'heavy.png') -PadBytes (10MB - $headerLength + 1)
        $null = New-TestImageFile -Path (Join-Path $Folder 'ten-mb.png') -PadBytes (10MB - $headerLength)
        $null = New-TestGifFile -Path (Join-Path $Folder 'small.gif') -Width 32 -Height 20
        Set-Content -Path (Join-Path $Folder 'notes.png') -Value 'this is text, not an image'
        $null = New-Item -ItemType Directory -Path (Join-Path $Folder 'sub-folder')
        $script:GoneFile = New-TestImageFile -Path (Join-Path $Folder 'gone.png')
        Remove-Item $GoneFile.FullName
    }
    AfterAll {
        Pop-Location
        Remove-Item $Folder -Recurse -Force -ErrorAction SilentlyContinue
        . (Join-Path $PSScriptRoot 'TestTeardown.ps1')
    }
    BeforeEach {
        Reset-FakeSeedreamApi $Fake
        Disconnect-Seedream
    }

    Context 'Refused before any request' {
        It '<Rule>' -ForEach @(
            @{ Rule = 'empty prompt'; Parameter = '-Prompt'; Says = 'must not be empty'; Command = { New-SeedreamImage -Prompt '' } }
            @{ Rule = 'blank prompt'; Parameter = '-Prompt'; Says = 'must not be empty'; Command = { New-SeedreamImage -Prompt '   ' } }
            @{ Rule = 'empty prompt on an edit'; Parameter = '-Prompt'; Says = 'must not be empty'; Command = { Edit-SeedreamImage -Prompt '' -Image 'https://img.example/a.png' } }
            @{ Rule = 'size tier 1K on 4.5'; Parameter = '-Size'; Says = "'1K' is not a tier of model seedream-4-5-251128.*2K, 4K"; Command = { New-SeedreamImage -Prompt p -Model 4.5 -Size 1K } }
            @{ Rule = 'size tier 1K on 5.0-lite'; Parameter = '-Size'; Says = "not a tier.*2K, 3K"; Command = { New-SeedreamImage -Prompt p -Model 5.0-lite -Size 1K } }
            @{ Rule = 'size tier 4K on 5.0-lite (unconfirmed, so not offered)'; Parameter = '-Size'; Says = 'not a tier'; Command = { New-SeedreamImage -Prompt p -Model 5.0-lite -Size 4K } }
            @{ Rule = 'size tier 3K on 4.0'; Parameter = '-Size'; Says = 'not a tier.*1K, 2K, 4K'; Command = { New-SeedreamImage -Prompt p -Model 4.0 -Size 3K } }
            @{ Rule = 'size that is neither a tier nor WxH'; Parameter = '-Size'; Says = 'not a tier'; Command = { New-SeedreamImage -Prompt p -Model 4.0 -Size big } }
            @{ Rule = 'WxH one pixel row under the 4.0 minimum'; Parameter = '-Size'; Says = '1280x719 is 920,320 pixels.*921,600 to 16,777,216'; Command = { New-SeedreamImage -Prompt p -Model 4.0 -Size 1280x719 } }
            @{ Rule = 'WxH over the 4.0 maximum'; Parameter = '-Size'; Says = '4096x4097.*921,600 to 16,777,216'; Command = { New-SeedreamImage -Prompt p -Model 4.0 -Size 4096x4097 } }
            @{ Rule = 'WxH under the 4.5 minimum'; Parameter = '-Size'; Says = '2560x1439.*3,686,400 to 16,777,216'; Command = { New-SeedreamImage -Prompt p -Model 4.5 -Size 2560x1439 } }
            @{ Rule = 'WxH over the 4.5 maximum'; Parameter = '-Size'; Says = '4097x4096.*3,686,400 to 16,777,216'; Command = { New-SeedreamImage -Prompt p -Model 4.5 -Size 4097x4096 } }
            @{ Rule = 'WxH under the 5.0-lite minimum'; Parameter = '-Size'; Says = '1440x2559.*3,686,400 to 10,404,496'; Command = { New-SeedreamImage -Prompt p -Model 5.0-lite -Size 1440x2559 } }
            @{ Rule = 'WxH over the 5.0-lite maximum'; Parameter = '-Size'; Says = '3226x3226.*3,686,400 to 10,404,496'; Command = { New-SeedreamImage -Prompt p -Model 5.0-lite -Size 3226x3226 } }
            @{ Rule = 'aspect ratio over 16'; Parameter = '-Size'; Says = 'aspect ratio.*between 1/16 and 16'; Command = { New-SeedreamImage -Prompt p -Model 4.0 -Size 4112x256 } }
            @{ Rule = 'aspect ratio under 1/16'; Parameter = '-Size'; Says = 'aspect ratio.*between 1/16 and 16'; Command = { New-SeedreamImage -Prompt p -Model 4.0 -Size 256x4112 } }
            @{ Rule = 'Png on 4.5'; Parameter = '-OutputFormat'; Says = 'cannot write png; it writes jpeg\. Png needs 5\.5, 5\.0-pro, 5\.0-flash, 5\.0-lite\.'; Command = { New-SeedreamImage -Prompt p -Model 4.5 -OutputFormat Png } }
            @{ Rule = 'Png on 4.0'; Parameter = '-OutputFormat'; Says = 'cannot write png'; Command = { New-SeedreamImage -Prompt p -Model 4.0 -OutputFormat Png } }
            @{ Rule = 'MaxImages 0'; Parameter = '-MaxImages'; Says = 'between 1 and 15; 0 was given'; Command = { New-SeedreamImage -Prompt p -MaxImages 0 } }
            @{ Rule = 'MaxImages 16'; Parameter = '-MaxImages'; Says = 'between 1 and 15; 16 was given'; Command = { New-SeedreamImage -Prompt p -MaxImages 16 } }
            @{ Rule = 'MaxImages -1'; Parameter = '-MaxImages'; Says = 'between 1 and 15'; Command = { New-SeedreamImage -Prompt p -MaxImages -1 } }
            @{ Rule = '11 references on APIYI'; Parameter = '-Image'; Says = 'APIYI accepts at most 10 reference images for 5.0-lite; 11 were given'; Command = { Edit-SeedreamImage -Prompt p -Image (New-ReferenceUrl 11) } }
            @{ Rule = '11 piped references fused on APIYI'; Parameter = '-Image'; Says = 'at most 10 reference images for 5.0-lite; 11'; Command = { New-ReferenceUrl 11 | Edit-SeedreamImage -Prompt p -Fuse } }
            @{ Rule = 'references plus MaxImages over 15'; Parameter = '-MaxImages'; Says = 'plus MaxImages must be at most 15; 5 references \+ 11 images = 16.*at most 10 images'; Command = { Edit-SeedreamImage -Prompt p -Image (New-ReferenceUrl 5) -MaxImages 11 } }
            @{ Rule = 'references plus MaxImages over 15 (10 + 6)'; Parameter = '-MaxImages'; Says = 'at most 15'; Command = { Edit-SeedreamImage -Prompt p -Image (New-ReferenceUrl 10) -MaxImages 6 } }
            @{ Rule = 'fast prompt optimisation on 4.5'; Parameter = '-OptimizePromptMode'; Says = "does not offer prompt optimisation mode 'fast'; it offers standard"; Command = { New-SeedreamImage -Prompt p -Model 4.5 -OptimizePromptMode Fast } }
            @{ Rule = 'fast prompt optimisation on 5.0-lite'; Parameter = '-OptimizePromptMode'; Says = "mode 'fast'"; Command = { New-SeedreamImage -Prompt p -Model 5.0-lite -OptimizePromptMode Fast } }
            @{ Rule = 'an ftp URL as image'; Parameter = '-Image'; Says = 'uses the ftp: scheme; only http\(s\) URLs, data URIs and files'; Command = { Edit-SeedreamImage -Prompt p -Image 'ftp://img.example/a.png' } }
            @{ Rule = 'a data URI of an unknown format'; Parameter = '-Image'; Says = 'data URI must look like data:image/<png\|jpeg'; Command = { Edit-SeedreamImage -Prompt p -Image 'data:image/svg+xml;base64,PHN2Zz4=' } }
            @{ Rule = 'a data URI with an upper-case format'; Parameter = '-Image'; Says = 'lower-case format'; Command = { Edit-SeedreamImage -Prompt p -Image 'data:image/PNG;base64,iVBORw0KGgo=' } }
            @{ Rule = 'a data URI without base64'; Parameter = '-Image'; Says = 'data URI must look like'; Command = { Edit-SeedreamImage -Prompt p -Image 'data:image/png,abc' } }
            @{ Rule = 'a data URI with no payload'; Parameter = '-Image'; Says = 'data URI must look like'; Command = { Edit-SeedreamImage -Prompt p -Image 'data:image/png;base64,' } }
            @{ Rule = 'a data URI whose payload is not base64'; Parameter = '-Image'; Says = 'not valid base64'; Command = { Edit-SeedreamImage -Prompt p -Image 'data:image/png;base64,not*base64!' } }
            @{ Rule = 'a data URI whose bytes are not an image'; Parameter = '-Image'; Says = 'data URI data:image/png \(400 base64 chars\) cannot be used as an image: not a supported image format'; Command = { Edit-SeedreamImage -Prompt p -Image ('data:image/png;base64,' + [Convert]::ToBase64String([byte[]]::new(300))) } }
            @{ Rule = 'a data URI that says png but holds a gif'; Parameter = '-Image'; Says = 'says image/png but holds a gif image'; Command = { Edit-SeedreamImage -Prompt p -Image ('data:image/png;base64,' + [Convert]::ToBase64String([IO.File]::ReadAllBytes((New-TestGifFile -Path (Join-Path $Folder 'real.gif') -Width 64 -Height 64).FullName))) } }
            @{ Rule = 'a data URI over 10 MB'; Parameter = '-Image'; Says = 'is 10,485,\d{3} bytes; a reference image on model seedream-5-0-260128 \(5\.0-lite\) may be at most 10,485,760 bytes \(10 MB\)'; Command = { Edit-SeedreamImage -Prompt p -Image ('data:image/png;base64,' + [Convert]::ToBase64String([IO.File]::ReadAllBytes((New-TestImageFile -Path (Join-Path $Folder 'big-uri.png') -PadBytes 10485760).FullName))) } }
            @{ Rule = 'a data URI of an image 14 px wide'; Parameter = '-Image'; Says = 'is 14x64; width and height must each be over 14'; Command = { Edit-SeedreamImage -Prompt p -Image ('data:image/png;base64,' + [Convert]::ToBase64String([IO.File]::ReadAllBytes((Join-Path $Folder 'narrow14.png')))) } }
            @{ Rule = 'a missing file'; Parameter = '-Image'; Says = "the file 'no-such-file.png' does not exist"; Command = { Edit-SeedreamImage -Prompt p -Image 'no-such-file.png' } }
            @{ Rule = 'a folder'; Parameter = '-Image'; Says = "'sub-folder' is a folder, not a file"; Command = { Edit-SeedreamImage -Prompt p -Image 'sub-folder' } }
            @{ Rule = 'a FileInfo whose file is gone (given for the whole call)'; Parameter = '-Image'; Says = "the image file 'gone.png' does not exist"; Command = { Edit-SeedreamImage -Prompt p -Image $GoneFile } }
            @{ Rule = 'a wildcard that matches no file'; Parameter = '-Path'; Says = "'nothing-\*\.png' matches no file"; Command = { Edit-SeedreamImage -Prompt p -Path 'nothing-*.png' } }
            @{ Rule = 'a wildcard given to -Image, which takes paths literally'; Parameter = '-Image'; Says = "'ok\*\.png' does not exist \(it is taken literally; to expand it as a wildcard use -Path\)"; Command = { Edit-SeedreamImage -Prompt p -Image 'ok*.png' } }
            @{ Rule = 'a file that is not an image (magic bytes)'; Parameter = '-Image'; Says = "'notes.png'.*not a supported image format \(png, jpeg, webp, bmp, tiff, gif\)"; Command = { Edit-SeedreamImage -Prompt p -Image 'notes.png' } }
            @{ Rule = 'a file over 10 MB'; Parameter = '-Image'; Says = "the image file 'heavy.png' is 10,485,761 bytes; a reference image on model seedream-5-0-260128 \(5\.0-lite\) may be at most 10,485,760 bytes"; Command = { Edit-SeedreamImage -Prompt p -Image 'heavy.png' } }
            @{ Rule = 'a file 14 px wide'; Parameter = '-Image'; Says = "'narrow14.png' is 14x64; width and height must each be over 14 pixels"; Command = { Edit-SeedreamImage -Prompt p -Image 'narrow14.png' } }
            @{ Rule = 'a file 14 px high'; Parameter = '-Image'; Says = "'short14.png' is 64x14; width and height must each be over 14"; Command = { Edit-SeedreamImage -Prompt p -Image 'short14.png' } }
            @{ Rule = 'a file with aspect over 16'; Parameter = '-Image'; Says = "'wide17.png' is 256x15.*between 1/16 and 16"; Command = { Edit-SeedreamImage -Prompt p -Image 'wide17.png' } }
            @{ Rule = 'a file with aspect under 1/16'; Parameter = '-Image'; Says = "'tall17.png' is 15x256.*between 1/16 and 16"; Command = { Edit-SeedreamImage -Prompt p -Image 'tall17.png' } }
            @{ Rule = 'a file over 36,000,000 pixels'; Parameter = '-Image'; Says = "'huge.png' is 6001x6000 = 36,006,000 pixels; at most 36,000,000"; Command = { Edit-SeedreamImage -Prompt p -Image 'huge.png' } }
            @{ Rule = 'a bad file among good ones, piped as FileInfo into one -Fuse request'; Parameter = '-Image'; Says = "'narrow14.png'"; Command = { Get-Item 'ok.png', 'narrow14.png' | Edit-SeedreamImage -Prompt p -Fuse } }
        ) {
            # Non-terminating errors and warnings are silenced: only a terminating error reaches the catch.
            $PSDefaultParameterValues = @{ '*-Seedream*:ErrorAction' = 'SilentlyContinue'; '*-Seedream*:WarningAction' = 'SilentlyContinue' }
            $refusal = Get-Refusal $Command
            $refusal | Should -Not -BeNullOrEmpty -Because 'the call must stop with a terminating error'
            $refusal.FullyQualifiedErrorId | Should -Match '^Seedream\.(InvalidParameter|InvalidImage),'
            $refusal.Exception.Message | Should -BeLike "Parameter $Parameter*"
            $refusal.Exception.Message | Should -Match $Says
            $refusal.Exception.Message | Should -Not -Match ([regex]::Escape($Folder)) -Because 'messages name the file, not the machine path'
            @(Get-FakeRequest $Fake) | Should -HaveCount 0
        }

        It 'uses Seedream.InvalidImage for file problems and Seedream.InvalidParameter for the other rules' {
            (Get-Refusal { Edit-SeedreamImage -Prompt p -Image 'notes.png' }).FullyQualifiedErrorId | Should -BeLike 'Seedream.InvalidImage,*'
            (Get-Refusal { New-SeedreamImage -Prompt p -MaxImages 16 }).FullyQualifiedErrorId | Should -BeLike 'Seedream.InvalidParameter,*'
            @(Get-FakeRequest $Fake) | Should -HaveCount 0
        }

        It 'refuses a whole pipeline of prompts when the options break a rule, before the first request' {
            $refusal = Get-Refusal { 'one', 'two', 'three' | New-SeedreamImage -Model 4.5 -Size 1K }
            $refusal.Exception.Message | Should -Match 'not a tier'
            @(Get-FakeRequest $Fake) | Should -HaveCount 0
        }

        It 'refuses an expired result that holds no bytes, before any request' {
            $old = [Seedream.SeedreamImage]@{
                Url = 'https://img.example/old.jpeg'; Model = 'seedream-4-5-251128'; Prompt = 'old'
                Created = [DateTimeOffset]::UtcNow.AddHours(-25); ExpiresAt = [DateTimeOffset]::UtcNow.AddHours(-1)
            }
            $refusal = Get-Refusal { $old | Edit-SeedreamImage -Prompt 'again' }
            $refusal.FullyQualifiedErrorId | Should -BeLike 'Seedream.InvalidImage,*'
            $refusal.Exception.Message | Should -Match 'Parameter -Image: the result''s URL expired at .*\(hosted images live 24 hours\)'
            @(Get-FakeRequest $Fake) | Should -HaveCount 0
        }

        It 'refuses a fusion with no images, before any request' {
            $refusal = Get-Refusal { @() | Edit-SeedreamImage -Prompt p -Fuse }
            $refusal.Exception.Message | Should -Match 'Parameter -Image: -Fuse received no images'
            @(Get-FakeRequest $Fake) | Should -HaveCount 0
        }
    }

    Context 'Edge values that are allowed get a real 200' {
        It '<Edge>' -ForEach @(
            @{ Edge = 'a one-character prompt'; Count = 1; Command = { New-SeedreamImage -Prompt 'x' } }
            @{ Edge = 'MaxImages 1'; Count = 1; Command = { New-SeedreamImage -Prompt p -MaxImages 1 } }
            @{ Edge = 'MaxImages 15 without references'; Count = 15; Command = { New-SeedreamImage -Prompt p -MaxImages 15 } }
            @{ Edge = '1 reference + MaxImages 14'; Count = 14; Command = { Edit-SeedreamImage -Prompt p -Image (New-ReferenceUrl 1) -MaxImages 14 } }
            @{ Edge = '5 references + MaxImages 10'; Count = 10; Command = { Edit-SeedreamImage -Prompt p -Image (New-ReferenceUrl 5) -MaxImages 10 } }
            @{ Edge = '10 references on APIYI'; Count = 1; Command = { Edit-SeedreamImage -Prompt p -Image (New-ReferenceUrl 10) } }
            @{ Edge = '10 references + MaxImages 5 on APIYI'; Count = 5; Command = { Edit-SeedreamImage -Prompt p -Image (New-ReferenceUrl 10) -MaxImages 5 } }
            @{ Edge = 'tier 1K on 4.0'; Count = 1; Command = { New-SeedreamImage -Prompt p -Model 4.0 -Size 1K } }
            @{ Edge = 'tier 4K on 4.5'; Count = 1; Command = { New-SeedreamImage -Prompt p -Model 4.5 -Size 4K } }
            @{ Edge = 'tier 3K on 5.0-lite'; Count = 1; Command = { New-SeedreamImage -Prompt p -Model 5.0-lite -Size 3K } }
            @{ Edge = 'tier in lower case (2k)'; Count = 1; Command = { New-SeedreamImage -Prompt p -Model 4.5 -Size 2k } }
            @{ Edge = 'minimum pixels on 4.0 (1280x720)'; Count = 1; Command = { New-SeedreamImage -Prompt p -Model 4.0 -Size 1280x720 } }
            @{ Edge = 'maximum pixels on 4.0 (4096x4096)'; Count = 1; Command = { New-SeedreamImage -Prompt p -Model 4.0 -Size 4096x4096 } }
            @{ Edge = 'minimum pixels on 4.5 (2560x1440)'; Count = 1; Command = { New-SeedreamImage -Prompt p -Model 4.5 -Size 2560x1440 } }
            @{ Edge = 'maximum pixels on 4.5 (4096x4096)'; Count = 1; Command = { New-SeedreamImage -Prompt p -Model 4.5 -Size 4096x4096 } }
            @{ Edge = 'minimum pixels on 5.0-lite (1440x2560)'; Count = 1; Command = { New-SeedreamImage -Prompt p -Model 5.0-lite -Size 1440x2560 } }
            @{ Edge = 'largest WxH on 5.0-lite (4245x2451 = 10,404,495 px)'; Count = 1; Command = { New-SeedreamImage -Prompt p -Model 5.0-lite -Size 4245x2451 } }
            @{ Edge = 'aspect exactly 16 (4096x256 on 4.0)'; Count = 1; Command = { New-SeedreamImage -Prompt p -Model 4.0 -Size 4096x256 } }
            @{ Edge = 'aspect exactly 1/16 (256x4096 on 4.0)'; Count = 1; Command = { New-SeedreamImage -Prompt p -Model 4.0 -Size 256x4096 } }
            @{ Edge = 'Png on 5.0-lite'; Count = 1; Command = { New-SeedreamImage -Prompt p -Model 5.0-lite -OutputFormat Png } }
            @{ Edge = 'Jpeg on 4.5'; Count = 1; Command = { New-SeedreamImage -Prompt p -Model 4.5 -OutputFormat Jpeg } }
            @{ Edge = 'Fast prompt optimisation on 4.0'; Count = 1; Command = { New-SeedreamImage -Prompt p -Model 4.0 -OptimizePromptMode Fast } }
            @{ Edge = 'Standard prompt optimisation on 4.5'; Count = 1; Command = { New-SeedreamImage -Prompt p -Model 4.5 -OptimizePromptMode Standard } }
            @{ Edge = '-Stream on 4.5'; Count = 1; Command = { New-SeedreamImage -Prompt p -Model 4.5 -Stream } }
            @{ Edge = 'the 5.0-lite alias id'; Count = 1; Command = { New-SeedreamImage -Prompt p -Model seedream-5-0-lite-260128 -OutputFormat Png } }
            @{ Edge = 'a data URI reference'; Count = 1; Command = { Edit-SeedreamImage -Prompt p -Image ('data:image/png;base64,' + [Convert]::ToBase64String([IO.File]::ReadAllBytes((Join-Path $Folder 'ok.png')))) } }
            @{ Edge = 'a file 15x15 px'; Count = 1; Command = { Edit-SeedreamImage -Prompt p -Image 'side15.png' } }
            @{ Edge = 'a file with aspect exactly 16'; Count = 1; Command = { Edit-SeedreamImage -Prompt p -Image 'wide16.png' } }
            @{ Edge = 'a file with aspect exactly 1/16'; Count = 1; Command = { Edit-SeedreamImage -Prompt p -Image 'tall16.png' } }
            @{ Edge = 'a file of exactly 36,000,000 pixels'; Count = 1; Command = { Edit-SeedreamImage -Prompt p -Image 'max36m.png' } }
            @{ Edge = 'a file of exactly 10 MB'; Count = 1; Command = { Edit-SeedreamImage -Prompt p -Image 'ten-mb.png' } }
            @{ Edge = 'a GIF file'; Count = 1; Command = { Edit-SeedreamImage -Prompt p -Image 'small.gif' } }
        ) {
            $images = & $Command
            $requests = @(Get-FakeRequest $Fake -Target generate)
            $requests | Should -HaveCount 1
            $requests[0].status | Should -Be 200
            $images | Should -HaveCount $Count
        }

        It '14 references + MaxImages 1 on BytePlus' {
            Connect-Seedream -Provider BytePlus -BaseUri $Fake.ApiV3
            $images = Edit-SeedreamImage -Prompt p -Image (New-ReferenceUrl 14) -MaxImages 1
            $request = @(Get-FakeRequest $Fake -Target generate)
            $request | Should -HaveCount 1
            $request[0].status | Should -Be 200
            $request[0].body.image | Should -HaveCount 14
            $images | Should -HaveCount 1
        }
    }

    Context 'Local files as input' {
        It 'sends a relative path as a data URI that decodes to the file''s bytes' {
            $null = Edit-SeedreamImage -Prompt p -Image 'ok.png'
            $wire = @((Get-LastBody).image)
            $wire | Should -HaveCount 1
            $wire[0] | Should -BeLike 'data:image/png;base64,*'
            $decoded = [Convert]::FromBase64String($wire[0].Substring('data:image/png;base64,'.Length))
            $decoded | Should -Be ([System.IO.File]::ReadAllBytes((Join-Path $Folder 'ok.png')))
        }

        It 'resolves paths against the PowerShell location, not the process directory' {
            [System.IO.Directory]::GetCurrentDirectory() | Should -Not -Be $Folder
            $sub = Join-Path $Folder 'sub'
            $null = New-Item -ItemType Directory -Path $sub -Force
            $null = New-TestGifFile -Path (Join-Path $sub 'inner.gif') -Width 20 -Height 20
            Push-Location $sub
            try { $null = Edit-SeedreamImage -Prompt p -Image 'inner.gif', '../ok.png' }
            finally { Pop-Location }
            $wire = @((Get-LastBody).image)
            $wire[0] | Should -BeLike 'data:image/gif;base64,*'
            $wire[1] | Should -BeLike 'data:image/png;base64,*'
        }

        It '-Path expands a wildcard into one fusion request in name order' {
            $null = New-TestImageFile -Path (Join-Path $Folder 'set-b.png') -Width 40 -Height 30
            $null = New-TestImageFile -Path (Join-Path $Folder 'set-a.png') -Width 30 -Height 40
            $null = Edit-SeedreamImage -Prompt p -Path 'set-*.png'
            $requests = @(Get-FakeRequest $Fake -Target generate)
            $requests | Should -HaveCount 1
            $wire = @($requests[0].body.image)
            $wire | Should -HaveCount 2
            foreach ($pair in @(@(0, 'set-a.png'), @(1, 'set-b.png'))) {
                $decoded = [Convert]::FromBase64String($wire[$pair[0]].Substring('data:image/png;base64,'.Length))
                $decoded | Should -Be ([System.IO.File]::ReadAllBytes((Join-Path $Folder $pair[1])))
            }
        }

        It 'takes FileInfo from the pipeline: Get-ChildItem *.png | Edit-SeedreamImage, one request per file' {
            $files = Get-ChildItem 'side15.png', 'wide16.png', 'tall16.png'
            $images = $files | Edit-SeedreamImage -Prompt 'x'
            $requests = @(Get-FakeRequest $Fake -Target generate)
            $requests | Should -HaveCount 3
            $images | Should -HaveCount 3
            foreach ($i in 0..2) {
                $wire = @($requests[$i].body.image)
                $wire | Should -HaveCount 1
                $bytes = [Convert]::FromBase64String($wire[0].Substring('data:image/png;base64,'.Length))
                $bytes | Should -Be ([System.IO.File]::ReadAllBytes($files[$i].FullName))
            }
        }

        It 'takes a FileInfo through -Image, and -Fuse gathers piped files into one request' {
            $null = Edit-SeedreamImage -Prompt p -Image (Get-Item 'ok.png')
            @((Get-LastBody).image)[0] | Should -BeLike 'data:image/png;base64,*'
            Reset-FakeSeedreamApi $Fake
            $null = Get-ChildItem 'side15.png', 'small.gif' | Edit-SeedreamImage -Prompt p -Fuse
            $requests = @(Get-FakeRequest $Fake -Target generate)
            $requests | Should -HaveCount 1
            $requests[0].body.image[0] | Should -BeLike 'data:image/png;base64,*'
            $requests[0].body.image[1] | Should -BeLike 'data:image/gif;base64,*'
        }

        It 'checks every piped file before the first request when fusing' {
            $refusal = Get-Refusal { Get-ChildItem 'ok.png', 'huge.png' | Edit-SeedreamImage -Prompt p -Fuse }
            $refusal.Exception.Message | Should -Match "'huge.png'.*36,000,000"
            @(Get-FakeRequest $Fake) | Should -HaveCount 0
        }
    }

    Context 'A model the catalog does not know' {
        It 'sends seedream-9-0-990101 as is, with exactly one warning' {
            # The fake answers 404 for a model it does not know either, which stops the call: the request went out.
            $refusal = $null
            try { $null = New-SeedreamImage -Prompt p -Model 'seedream-9-0-990101' -WarningVariable warnings -WarningAction SilentlyContinue }
            catch { $refusal = $_ }
            $refusal.FullyQualifiedErrorId | Should -BeLike 'Seedream.ModelNotFound,*'
            $requests = @(Get-FakeRequest $Fake -Target generate)
            $requests | Should -HaveCount 1
            $requests[0].body.model | Should -Be 'seedream-9-0-990101'
            @($warnings) | Should -HaveCount 1
            "$($warnings[0])" | Should -Match "Model 'seedream-9-0-990101' is not in the module's catalog for APIYI\. It is sent as is, with only the fields you set"
        }

        It 'sends an endpoint id (ep-...) as is with one warning for a whole pipeline, and the fake answers 200' {
            Connect-Seedream -Provider BytePlus -BaseUri $Fake.ApiBytePlus
            $images = 'one', 'two', 'three' | New-SeedreamImage -Model 'ep-20260101120000-abcde' -WarningVariable warnings -WarningAction SilentlyContinue
            $requests = @(Get-FakeRequest $Fake -Target generate)
            $requests | Should -HaveCount 3
            $requests.body.model | Should -Be (@('ep-20260101120000-abcde') * 3)
            $requests.status | Should -Be @(200, 200, 200)
            $images | Should -HaveCount 3
            @($warnings) | Should -HaveCount 1
        }

        It 'checks only the common rules: model-specific options go out untouched' {
            $null = Get-Refusal { New-SeedreamImage -Prompt p -Model 'seedream-9-0-990101' -Size 100x100 -OutputFormat Png -OptimizePromptMode Fast -Stream -WarningAction SilentlyContinue }
            $requests = @(Get-FakeRequest $Fake -Target generate)
            $requests | Should -HaveCount 1
            $body = $requests[0].body
            $body.size | Should -Be '100x100'
            $body.output_format | Should -Be 'png'
            $body.optimize_prompt_options.mode | Should -Be 'fast'
            $body.stream | Should -BeTrue
        }

        It 'still refuses <Rule> for an unknown model' -ForEach @(
            @{ Rule = 'an empty prompt'; Says = '-Prompt'; Command = { New-SeedreamImage -Prompt '' -Model 'seedream-9-0-990101' } }
            @{ Rule = 'MaxImages 16'; Says = '-MaxImages'; Command = { New-SeedreamImage -Prompt p -Model 'seedream-9-0-990101' -MaxImages 16 } }
            @{ Rule = 'an aspect ratio over 16'; Says = '-Size'; Command = { New-SeedreamImage -Prompt p -Model 'seedream-9-0-990101' -Size 4112x256 } }
            @{ Rule = 'a size that is not WxH or a tier'; Says = '-Size'; Command = { New-SeedreamImage -Prompt p -Model 'seedream-9-0-990101' -Size big } }
            @{ Rule = 'more references than the provider takes'; Says = '-Image'; Command = { Edit-SeedreamImage -Prompt p -Model 'seedream-9-0-990101' -Image (New-ReferenceUrl 11) } }
            @{ Rule = 'references plus MaxImages over 15'; Says = '-MaxImages'; Command = { Edit-SeedreamImage -Prompt p -Model 'seedream-9-0-990101' -Image (New-ReferenceUrl 3) -MaxImages 13 } }
        ) {
            $PSDefaultParameterValues = @{ '*-Seedream*:WarningAction' = 'SilentlyContinue' }
            $refusal = Get-Refusal $Command
            $refusal.FullyQualifiedErrorId | Should -BeLike 'Seedream.InvalidParameter,*'
            $refusal.Exception.Message | Should -BeLike "Parameter $Says*"
            @(Get-FakeRequest $Fake) | Should -HaveCount 0
        }
    }

    Context 'The December lineup: six models, each provider''s ids and rules, checked before any request' {
        BeforeEach {
            $PSDefaultParameterValues = @{ '*-Seedream*:WarningAction' = 'SilentlyContinue' }
        }

        It '<Model> on <Provider> refuses -<Parameter> with no request, naming the models that take it' -ForEach @(
            foreach ($provider in 'APIYI', 'BytePlus', 'Volcengine') {
                $takers = if ($provider -eq 'Volcengine') { '4.5, 4.0' } else { '5.0-lite, 4.5, 4.0' }
                foreach ($model in @(@('5.5', '5-5-261028'), @('pro', '5-0-pro-260628'), @('flash', '5-0-flash-260915'))) {
                    $prefix = @{ APIYI = 'seedream-'; BytePlus = 'dola-seedream-'; Volcengine = 'doubao-seedream-' }[$provider]
                    @{ Provider = $provider; Model = $model[0]; Id = $prefix + $model[1]; Parameter = 'MaxImages'; Arguments = @{ MaxImages = 2 }
                        Says = "makes one image a request and refuses sequential_image_generation; leave out -MaxImages, or use a model that makes sequences: $takers\." }
                    @{ Provider = $provider; Model = $model[0]; Id = $prefix + $model[1]; Parameter = 'Stream'; Arguments = @{ Stream = $true }
                        Says = "does not stream its answer and refuses stream; leave out -Stream, or use a model that streams: $takers\." }
                }
            }
        ) {
            Connect-Seedream -Provider $Provider -BaseUri $Fake."Api$Provider"
            $refusal = Get-Refusal { New-SeedreamImage -Prompt p -Model $Model @Arguments }
            $refusal.FullyQualifiedErrorId | Should -BeLike 'Seedream.InvalidParameter,*'
            $refusal.Exception.Message | Should -Match ("^Parameter -$Parameter`: model " + [regex]::Escape($Id) + ' \(')
            $refusal.Exception.Message | Should -Match $Says
            @(Get-FakeRequest $Fake) | Should -HaveCount 0
        }

        It '<Model> takes <Size>' -ForEach @(
            @{ Model = '5.5'; Size = '1K' }, @{ Model = '5.5'; Size = '1.5K' }, @{ Model = '5.5'; Size = '2K' }
            @{ Model = '5.5'; Size = '1280x720' }, @{ Model = '5.5'; Size = '2048x2048' }, @{ Model = '5.5'; Size = '4096x256' }
            @{ Model = 'pro'; Size = '1K' }, @{ Model = 'pro'; Size = '2K' }, @{ Model = 'pro'; Size = '720x1280' }, @{ Model = 'pro'; Size = '2048x2048' }
            @{ Model = 'flash'; Size = '1.5K' }, @{ Model = 'flash'; Size = '1280x720' }, @{ Model = 'flash'; Size = '2560x1638' }
        ) {
            $image = New-SeedreamImage -Prompt p -Model $Model -Size $Size
            $requests = @(Get-FakeRequest $Fake -Target generate)
            $requests | Should -HaveCount 1
            $requests[0].status | Should -Be 200
            $image | Should -HaveCount 1
        }

        It '<Model> refuses <Size> before any request' -ForEach @(
            @{ Model = '5.5'; Size = '4K'; Says = "'4K' is not a tier of model seedream-5-5-261028 \(5\.5\); it offers 1K, 1\.5K, 2K, or WIDTHxHEIGHT with 921,600 to 4,194,304 pixels" }
            @{ Model = '5.5'; Size = '1279x720'; Says = '1279x720 is 920,880 pixels; model seedream-5-5-261028 \(5\.5\) takes 921,600 to 4,194,304 pixels' }
            @{ Model = '5.5'; Size = '2048x2049'; Says = '2048x2049 is 4,196,352 pixels' }
            @{ Model = 'pro'; Size = '1.5K'; Says = "'1\.5K' is not a tier of model seedream-5-0-pro-260628 \(5\.0-pro\); it offers 1K, 2K" }
            @{ Model = 'pro'; Size = '3K'; Says = 'not a tier' }
            @{ Model = 'pro'; Size = '2049x2048'; Says = 'takes 921,600 to 4,194,304 pixels' }
            @{ Model = 'flash'; Size = '3K'; Says = 'it offers 1K, 1\.5K, 2K' }
            @{ Model = 'flash'; Size = '1280x719'; Says = '1280x719 is 920,320 pixels' }
            @{ Model = 'flash'; Size = 'auto'; Says = 'size auto \(follow the input image\) is only for layer decomposition' }
        ) {
            $refusal = Get-Refusal { New-SeedreamImage -Prompt p -Model $Model -Size $Size }
            $refusal.Exception.Message | Should -BeLike 'Parameter -Size:*'
            $refusal.Exception.Message | Should -Match $Says
            @(Get-FakeRequest $Fake) | Should -HaveCount 0
        }

        It 'refuses 5.0 lite on Volcengine as <Given>, with the date and the live models, before any request' -ForEach @(
            @{ Given = '5.0-lite'; Id = 'doubao-seedream-5-0-260128' }
            @{ Given = 'lite'; Id = 'doubao-seedream-5-0-260128' }
            @{ Given = 'seedream-5-0-260128'; Id = 'doubao-seedream-5-0-260128' }
            @{ Given = 'doubao-seedream-5-0-lite-260128'; Id = 'doubao-seedream-5-0-lite-260128' }
        ) {
            Connect-Seedream -Provider Volcengine -BaseUri $Fake.ApiVolcengine
            $refusal = Get-Refusal { New-SeedreamImage -Prompt p -Model $Given }
            $refusal.FullyQualifiedErrorId | Should -BeLike 'Seedream.InvalidParameter,*'
            $refusal.Exception.Message | Should -Be ("Parameter -Model: model $Id (5.0-lite) was switched off on Volcengine on 2026-11-24 14:00 +08:00 (both ids switched off); " +
                'use a live model: 5.5, 5.0-pro, 5.0-flash (default 5.5).')
            @(Get-FakeRequest $Fake) | Should -HaveCount 0
        }

        It 'warns once that 4.5 is retiring on Volcengine, and sends the request' {
            Connect-Seedream -Provider Volcengine -BaseUri $Fake.ApiVolcengine
            $images = 'one', 'two' | New-SeedreamImage -Model 4.5 -WarningVariable warnings -WarningAction SilentlyContinue
            $images | Should -HaveCount 2
            @($warnings) | Should -HaveCount 1
            "$($warnings[0])" | Should -Be ('Model 4.5 (doubao-seedream-4-5-251128) is retiring on Volcengine (2026-11-24 14:00 +08:00): reported switched off with 5.0 lite (unconfirmed). ' +
                'Live there: 5.5, 5.0-pro, 5.0-flash.')
        }

        It 'sends -Model <Given> -Size ''<Size>'' on <Provider> as <Id> and <Wire>' -ForEach @(
            @{ Provider = 'APIYI'; Given = '4.5'; Size = '2k'; Id = 'seedream-4-5-251128'; Wire = '2K' }
            @{ Provider = 'APIYI'; Given = 'PRO'; Size = ' 2K '; Id = 'seedream-5-0-pro-260628'; Wire = '2K' }
            @{ Provider = 'APIYI'; Given = '5.5'; Size = '1.5k'; Id = 'seedream-5-5-261028'; Wire = '1.5K' }
            @{ Provider = 'APIYI'; Given = 'Seedream-4-0-250828'; Size = '2048X2048'; Id = 'seedream-4-0-250828'; Wire = '2048x2048' }
            @{ Provider = 'APIYI'; Given = 'DOLA-SEEDREAM-5-0-FLASH-260915'; Size = ' 1280X720 '; Id = 'seedream-5-0-flash-260915'; Wire = '1280x720' }
            @{ Provider = 'APIYI'; Given = 'seedream-5-0-lite-260128'; Size = '3k'; Id = 'seedream-5-0-lite-260128'; Wire = '3K' }
            @{ Provider = 'BytePlus'; Given = 'seedream-5-5-261028'; Size = '1k'; Id = 'dola-seedream-5-5-261028'; Wire = '1K' }
            @{ Provider = 'BytePlus'; Given = 'Flash'; Size = '1.5K'; Id = 'dola-seedream-5-0-flash-260915'; Wire = '1.5K' }
            @{ Provider = 'BytePlus'; Given = 'doubao-seedream-4-0-250828'; Size = '1k'; Id = 'seedream-4-0-250828'; Wire = '1K' }
            @{ Provider = 'Volcengine'; Given = 'seedream-4-0-250828'; Size = '4k'; Id = 'doubao-seedream-4-0-250828'; Wire = '4K' }
            @{ Provider = 'Volcengine'; Given = 'dola-seedream-5-0-pro-260628'; Size = '1k'; Id = 'doubao-seedream-5-0-pro-260628'; Wire = '1K' }
        ) {
            Connect-Seedream -Provider $Provider -BaseUri $Fake."Api$Provider"
            $image = New-SeedreamImage -Prompt p -Model $Given -Size $Size
            $request = @(Get-FakeRequest $Fake -Target generate)
            $request | Should -HaveCount 1
            $request[0].status | Should -Be 200
            $request[0].body.model | Should -BeExactly $Id
            $request[0].body.size | Should -BeExactly $Wire
            $image.Model | Should -BeExactly $Id
        }

        It 'says in -Verbose which model an id or name is and which id is sent' {
            Connect-Seedream -Provider BytePlus -BaseUri $Fake.ApiBytePlus
            $verbose = New-SeedreamImage -Prompt p -Model seedream-5-5-261028 -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
            ($verbose.Message -join "`n") | Should -Match "-Model 'seedream-5-5-261028' is another provider's id of 5\.5; BytePlus calls it dola-seedream-5-5-261028, which is sent\."
            $verbose = New-SeedreamImage -Prompt p -Model flash -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
            ($verbose.Message -join "`n") | Should -Match "-Model 'flash' is 5\.0-flash; BytePlus calls it dola-seedream-5-0-flash-260915\."
            $verbose = New-SeedreamImage -Prompt p -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
            ($verbose.Message -join "`n") | Should -Match "No -Model: BytePlus's default is 5\.0-lite, sent as seedream-5-0-260128\."
        }

        It 'refuses an empty -<Parameter> instead of using a default' -ForEach @(
            @{ Parameter = 'Model'; Says = "Parameter -Model: the model must not be empty; leave -Model out for APIYI's default \(5\.0-lite\)" }
            @{ Parameter = 'Size'; Says = "Parameter -Size: the size must not be empty; leave -Size out for the model's default \(2K on 5\.0-lite\)" }
        ) {
            foreach ($empty in '', '  ') {
                $arguments = @{ $Parameter = $empty }
                $refusal = Get-Refusal { New-SeedreamImage -Prompt p @arguments }
                $refusal.Exception.Message | Should -Match $Says
            }
            @(Get-FakeRequest $Fake) | Should -HaveCount 0
        }

        It 'sends <Rule>' -ForEach @(
            @{ Rule = '-OptimizePromptMode Fast on 5.0 Pro'; Arguments = @{ Model = 'pro'; OptimizePromptMode = 'Fast' }; Field = 'mode'; Value = 'fast' }
            @{ Rule = '-Thinking Disabled on 5.0 Pro without references'; Arguments = @{ Model = 'pro'; Thinking = 'Disabled' }; Field = 'thinking'; Value = 'disabled' }
            @{ Rule = '-Thinking Enabled on 5.0 Pro'; Arguments = @{ Model = 'pro'; Thinking = 'Enabled' }; Field = 'thinking'; Value = 'enabled' }
        ) {
            $null = New-SeedreamImage -Prompt p @Arguments
            $request = @(Get-FakeRequest $Fake -Target generate)
            $request[0].status | Should -Be 200
            $request[0].body.optimize_prompt_options.$Field | Should -BeExactly $Value
        }

        It 'refuses <Rule> before any request' -ForEach @(
            @{ Rule = '-Thinking Disabled on 5.0 Pro with a reference'; Parameter = 'Thinking'; Says = "thinking 'disabled' is allowed on 5\.0-pro only without reference images; 1 were given"; Command = { Edit-SeedreamImage -Prompt p -Model pro -Thinking Disabled -Image 'https://img.example/a.png' } }
            @{ Rule = '-Thinking on 5.5'; Parameter = 'Thinking'; Says = 'has no thinking setting for prompt optimisation; leave out -Thinking, or use 5\.0-pro\.'; Command = { New-SeedreamImage -Prompt p -Model 5.5 -Thinking Enabled } }
            @{ Rule = '-OptimizePromptMode Fast on 5.5'; Parameter = 'OptimizePromptMode'; Says = "does not offer prompt optimisation mode 'fast'; it offers standard\. 'fast' needs 5\.0-pro, 4\.0\."; Command = { New-SeedreamImage -Prompt p -Model 5.5 -OptimizePromptMode Fast } }
            @{ Rule = '-OptimizePromptMode Fast on 5.0 Flash'; Parameter = 'OptimizePromptMode'; Says = "mode 'fast'"; Command = { New-SeedreamImage -Prompt p -Model flash -OptimizePromptMode Fast } }
            @{ Rule = 'a 10 MB + 1 byte file on 5.5'; Parameter = 'Image'; Says = "the image file 'heavy.png' is 10,485,761 bytes; a reference image on model seedream-5-5-261028 \(5\.5\) may be at most 10,485,760 bytes \(10 MB\)"; Command = { Edit-SeedreamImage -Prompt p -Model 5.5 -Image 'heavy.png' } }
        ) {
            $refusal = Get-Refusal $Command
            $refusal.Exception.Message | Should -BeLike "Parameter -$Parameter*"
            $refusal.Exception.Message | Should -Match $Says
            @(Get-FakeRequest $Fake) | Should -HaveCount 0
        }

        It 'takes a reference over 10 MB on 5.0 Pro, whose limit is 30 MB' {
            $images = Edit-SeedreamImage -Prompt p -Model pro -Image 'heavy.png'
            $request = @(Get-FakeRequest $Fake -Target generate)
            $request | Should -HaveCount 1
            $request[0].status | Should -Be 200
            $images | Should -HaveCount 1
        }

        It 'warns when -TimeoutSec is shorter than 5.0 Pro''s advised time-out' {
            $null = New-SeedreamImage -Prompt p -Model pro -TimeoutSec 60 -WarningVariable warnings -WarningAction SilentlyContinue
            "$warnings" | Should -Match '-TimeoutSec 60 is shorter than the 240 s advised for 5\.0-pro \(it takes 20-130 s\)'
            $null = New-SeedreamImage -Prompt p -Model pro -WarningVariable quiet -WarningAction SilentlyContinue
            $quiet | Should -BeNullOrEmpty
        }

        It 'suggests the nearest ids for an unknown one and sends only the fields set' {
            # The fake answers 404 for an id it does not know: the call stops, after the request went out.
            try { $null = New-SeedreamImage -Prompt p -Model 'seedream-5-5-261029' -WarningVariable warnings -WarningAction SilentlyContinue } catch { }
            "$($warnings[0])" | Should -Match "Model 'seedream-5-5-261029' is not in the module's catalog for APIYI\. Did you mean seedream-5-5-261028\?"
            $body = @(Get-FakeRequest $Fake -Target generate)[0].body
            $body.PSObject.Properties.Name | Should -Be @('model', 'prompt', 'response_format', 'watermark')
        }
    }

    Context '-AdditionalBody' {
        It 'merges fields at the top level of the wire JSON, nested values included' {
            $null = New-SeedreamImage -Prompt p -AdditionalBody @{ foo = 1; nested = @{ a = 'b' }; list = 1, 'two' }
            $requests = @(Get-FakeRequest $Fake -Target generate)
            $requests | Should -HaveCount 1
            $body = $requests[0].body
            $body.foo | Should -Be 1
            $body.foo | Should -BeOfType [long]
            $body.nested.a | Should -Be 'b'
            $body.list | Should -Be @(1, 'two')
            $body.model | Should -Be 'seedream-5-0-260128'
            $body.prompt | Should -Be 'p'
            $body.PSObject.Properties.Name | Should -Not -Contain 'extra_body'
            $body.PSObject.Properties.Name | Should -Not -Contain 'AdditionalBody'
        }
    }
}
