# Export-SeedreamGallery: the page's HTML, and the page as a person sees it in headless Chromium (every image loaded,
# markup in prompts shown as text, no sideways scrolling on a phone), with screenshots under out/test-results.
Describe 'Gallery' {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'TestSetup.ps1')
        Import-Module (Join-Path $PSScriptRoot 'Chromium.psm1') -Force
        $script:Results = Join-Path $repo 'out/test-results'
        $script:Hostile = 'a <script>alert("x")</script> & <img src=x onerror=alert(1)> ''quoted'''
        $script:Gallery = Join-Path $TestDrive 'gallery'
        # A storyboard, a PNG whose prompt holds markup (recorded in a sidecar), and an image without a record.
        New-SeedreamImage -Prompt 'four-panel storyboard' -MaxImages 4 | Save-SeedreamResult -Path $Gallery
        New-SeedreamImage -Prompt $Hostile -OutputFormat Png -ResponseFormat Base64Json | Save-SeedreamResult -Path $Gallery -Provenance Sidecar
        $plain = New-SeedreamImage -Prompt 'unrecorded' | Save-SeedreamResult -Path $Gallery -NoProvenance -NameTemplate 'plain' -PassThru
        $null = Rename-Item -LiteralPath $plain.FullName -NewName 'plain #1.jpg'
        $script:Page = Export-SeedreamGallery $Gallery -PassThru -WarningAction SilentlyContinue
        $script:Html = Get-Content $Page.FullName -Raw
    }
    AfterAll { . (Join-Path $PSScriptRoot 'TestTeardown.ps1') }

    Describe 'The page' {
        It 'is index.html beside the images, returned by -PassThru' {
            $Page | Should -BeOfType [IO.FileInfo]
            $Page.FullName | Should -Be (Join-Path $Gallery 'index.html')
            Get-ChildItem $Gallery -Force | Where-Object Name -Like '*.partial' | Should -BeNullOrEmpty
        }

        It 'links every image relatively (percent-encoded) and has no script, no external resource' {
            $Html | Should -Not -Match '<script'
            $Html | Should -Not -Match '(src|href)="(https?:)?//'
            $Html | Should -Match 'href="plain%20%231\.jpg"'
            ([regex]::Matches($Html, '<img ')).Count | Should -Be 6
            $Html | Should -Match "Content-Security-Policy"
        }

        It 'HTML-encodes every text: a prompt with markup is text' {
            $Html | Should -Match ([regex]::Escape('a &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;img src=x onerror=alert(1)&gt; &#39;quoted&#39;'))
            $Html | Should -Not -Match 'onerror=alert\(1\)>'
        }

        It 'shows each request once, its images in answer order, with model, size, time and cost' {
            $Html | Should -Match 'four-panel storyboard'
            $order = [regex]::Matches($Html, 'seedream-[^"]*-(\d)\.jpg"><img') | ForEach-Object { [int]$_.Groups[1].Value }
            $order | Should -Be 0, 1, 2, 3
            $Html | Should -Match 'model: 5\.0-lite \(seedream-5-0-260128\)'
            $Html | Should -Match 'cost: \$0\.14 est\.'
            $Html | Should -Match '<time datetime="\d{4}-\d\d-\d\dT'
            $Html | Should -Match 'no Seedream record'
        }

        It 'stacks a layer set by z-index: the base first, then each layer with its name' {
            # Layer records as a layer decomposition would leave them (z_index order differs from the answer order).
            $layers = Join-Path $TestDrive 'layers'
            $files = New-SeedreamImage -Prompt 'split into layers' -MaxImages 3 -OutputFormat Png -ResponseFormat Base64Json |
                Save-SeedreamResult -Path $layers -Provenance Sidecar -PassThru
            $z = @{ 0 = 2; 1 = 0; 2 = 1 }
            foreach ($file in $files) {
                $record = Get-Content "$($file.FullName).json" -Raw | ConvertFrom-Json
                $record | Add-Member ZIndex $z[[int]$record.Index]
                $record | Add-Member LayerName "name <$($z[[int]$record.Index])>"
                $record | ConvertTo-Json -Depth 5 | Set-Content "$($file.FullName).json"
            }
            $html = Get-Content (Export-SeedreamGallery $layers -PassThru).FullName -Raw
            $order = [regex]::Matches($html, '<b>(base|layer \d)</b> name &lt;(\d)&gt;') | ForEach-Object { $_.Groups[1].Value + '=' + $_.Groups[2].Value }
            $order | Should -Be 'base=0', 'layer 1=1', 'layer 2=2'
            (Get-SeedreamImageInfo $layers | Sort-Object ZIndex).LayerName | Should -Be 'name <0>', 'name <1>', 'name <2>'
        }

        It 'takes FileInfo and Get-SeedreamImageInfo objects from the pipeline, and -OutFile' {
            $out = Join-Path $TestDrive 'elsewhere/story.html'
            $fromFiles = Get-ChildItem $Gallery -Filter '*.jpg' | Export-SeedreamGallery -OutFile $out -PassThru -WarningAction SilentlyContinue
            $fromFiles.FullName | Should -Be $out
            (Get-Content $out -Raw) | Should -Match 'href="\.\./gallery/seedream-'
            $fromInfo = Get-SeedreamImageInfo "$Gallery/*.png" | Export-SeedreamGallery -OutFile $out -Force -PassThru
            ([regex]::Matches((Get-Content $fromInfo.FullName -Raw), '<img ')).Count | Should -Be 1
        }

        It 'refuses an -OutFile on another provider before it reads a single image, naming the parameter' {
            $refusal = { Export-SeedreamGallery $Gallery -OutFile 'Env:/page.html' -WarningAction SilentlyContinue } | Should -Throw -PassThru
            $refusal.FullyQualifiedErrorId | Should -BeLike 'Seedream.InvalidParameter*'
            $refusal.Exception.Message | Should -Match "^Parameter -OutFile: 'Env:/page.html' is on the Environment provider, not the file system"
            $empty = { Export-SeedreamGallery $Gallery -OutFile ' ' } | Should -Throw -PassThru
            $empty.Exception.Message | Should -Match '^Parameter -OutFile: must not be empty'
        }

        It 'writes nothing with -WhatIf, and overwrites only with -Force' {
            $before = (Get-Item $Page.FullName).LastWriteTimeUtc
            # -WhatIf in a runspace of its own: its "What if:" line goes to that runspace's host, not into the test log.
            $ps = [powershell]::Create()
            try {
                $null = $ps.AddScript('param($m, $g) Import-Module $m; Export-SeedreamGallery $g -WhatIf -WarningAction SilentlyContinue').AddArgument((Get-Module Seedream).Path).AddArgument($Gallery).Invoke()
                $ps.Streams.Error | Should -BeNullOrEmpty
            }
            finally { $ps.Dispose() }
            $null = Export-SeedreamGallery $Gallery -ErrorVariable failures -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
            $failures[0].FullyQualifiedErrorId | Should -BeLike 'Seedream.FileExists*'
            (Get-Item $Page.FullName).LastWriteTimeUtc | Should -Be $before
            $again = Export-SeedreamGallery $Gallery -Force -PassThru -WarningAction SilentlyContinue
            $again.FullName | Should -Be $Page.FullName
            Get-ChildItem (Join-Path $TestDrive 'nowhere') -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        }
    }

    Describe 'In headless Chromium' {
        BeforeAll {
            $script:Executable = Find-Chromium
            if ($Executable) { $script:Browser = Start-Chromium -Executable $Executable }
            $script:Probe = @'
(async () => {
  const images = [...document.images];
  images.forEach(i => { i.loading = 'eager'; });
  await Promise.all(images.map(i => i.decode().catch(() => null)));
  return JSON.stringify({
    images: images.map(i => ({ src: i.getAttribute('src'), width: i.naturalWidth, complete: i.complete })),
    prompts: [...document.querySelectorAll('.prompt')].map(p => p.textContent),
    active: document.querySelectorAll('script, iframe, object, embed').length,
    overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth
  });
})()
'@
        }
        AfterAll { if ($script:Browser) { Stop-Chromium $script:Browser } }
        BeforeEach {
            if (-not $Executable) {
                Set-ItResult -Skipped -Because 'chromium is not installed here (.ci/run installs Debian''s chromium package; it could not on this machine)'
            }
        }

        It 'loads every image, shows the markup of a prompt as text, on a wide screen' {
            Open-ChromiumPage $Browser -Path $Page.FullName -Width 1400 -Height 1000
            $state = Invoke-ChromiumScript $Browser $Probe | ConvertFrom-Json
            $state.images | Should -HaveCount 6
            foreach ($image in $state.images) { $image.width | Should -BeGreaterThan 0 -Because "$($image.src) must load and decode" }
            $state.prompts | Should -Contain $Hostile
            $state.active | Should -Be 0
            $state.overflow | Should -BeLessOrEqual 0
            (Save-ChromiumScreenshot $Browser (Join-Path $Results 'gallery-wide.png')).Length | Should -BeGreaterThan 1000
        }

        It 'fits a phone''s width without sideways scrolling' {
            Open-ChromiumPage $Browser -Path $Page.FullName -Width 390 -Height 844 -Mobile
            $state = Invoke-ChromiumScript $Browser $Probe | ConvertFrom-Json
            $state.overflow | Should -BeLessOrEqual 0
            foreach ($image in $state.images) { $image.width | Should -BeGreaterThan 0 }
            (Save-ChromiumScreenshot $Browser (Join-Path $Results 'gallery-phone.png')).Length | Should -BeGreaterThan 1000
        }

        It 'the storyboard of the issue: Save to ./story, Export-SeedreamGallery ./story, four images load' {
            $story = Join-Path $TestDrive 'story'
            New-SeedreamImage -Prompt 'four-panel storyboard' -MaxImages 4 | Save-SeedreamResult -Path $story
            $page = Export-SeedreamGallery $story -PassThru
            Open-ChromiumPage $Browser -Path $page.FullName
            $state = Invoke-ChromiumScript $Browser $Probe | ConvertFrom-Json
            $state.images | Should -HaveCount 4
            foreach ($image in $state.images) { $image.width | Should -BeGreaterThan 0 }
            $null = Save-ChromiumScreenshot $Browser (Join-Path $Results 'gallery-story.png')
        }
    }
}
