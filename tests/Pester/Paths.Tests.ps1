# Issue 14, paths: Edit-SeedreamImage -Image/-Path/-LiteralPath and Save-SeedreamResult -Path/-LiteralPath follow the
# provider model (PSDrives, the PowerShell location, literal names with brackets, non-FileSystem locations refused), and
# -PassThru returns files as Get-Item does. Every request goes to the fake API; every file lives under a fresh folder.
Describe 'Paths through the provider' {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'TestSetup.ps1')
        $script:Root = Join-Path ([IO.Path]::GetTempPath()) ("seedream-paths-" + [guid]::NewGuid().ToString('N'))
        $script:Pictures = Join-Path $Root 'pictures'
        $null = New-Item -ItemType Directory -Path $Pictures
        $null = New-TestImageFile -Path (Join-Path $Pictures 'person.png') -Width 40 -Height 30
        $null = New-TestImageFile -Path (Join-Path $Pictures 'jacket.png') -Width 30 -Height 40
        $null = New-TestImageFile -Path (Join-Path $Pictures '[1].png') -Width 50 -Height 20
        $null = New-TestImageFile -Path (Join-Path $Pictures '1.png') -Width 20 -Height 50
        $null = New-Item -ItemType Directory -Path (Join-Path $Pictures 'nested.png')
        $script:DriveName = 'pics' + [guid]::NewGuid().ToString('N').Substring(0, 6)
        $null = New-PSDrive -Name $DriveName -PSProvider FileSystem -Root $Pictures -Scope Global

        function Get-WireBytes([int] $Request = -1, [int] $Image = 0) {
            $wire = @(@(Get-FakeRequest $Fake -Target generate)[$Request].body.image)[$Image]
            [Convert]::FromBase64String($wire.Substring($wire.IndexOf(',') + 1))
        }
        function Get-FileBytes([string] $Name) { [IO.File]::ReadAllBytes((Join-Path $Pictures $Name)) }
    }
    AfterAll {
        Remove-PSDrive -Name $DriveName -Scope Global -ErrorAction SilentlyContinue
        Remove-Item -LiteralPath $Root -Recurse -Force -ErrorAction SilentlyContinue
        . (Join-Path $PSScriptRoot 'TestTeardown.ps1')
    }
    BeforeEach {
        Reset-FakeSeedreamApi $Fake
        Push-Location -LiteralPath $Root
    }
    AfterEach { Pop-Location }

    Context 'Edit-SeedreamImage input files' {
        It 'shows -Image, -Path and -LiteralPath as three parameter sets in Get-Help, -LiteralPath aliased PSPath and bound by property name' {
            $command = Get-Command Edit-SeedreamImage
            @($command.ParameterSets.Name) | Should -Be @('Image', 'Path', 'LiteralPath')
            $command.DefaultParameterSet | Should -Be 'Image'
            $command.Parameters.LiteralPath.Aliases | Should -Contain 'PSPath'
            $command.Parameters.LiteralPath.ParameterSets.LiteralPath.ValueFromPipelineByPropertyName | Should -BeTrue
            $command.Parameters.Path.Attributes.TypeId.Name | Should -Contain 'SupportsWildcardsAttribute'
            $syntax = @((Get-Help Edit-SeedreamImage).Syntax.SyntaxItem)
            $syntax | Should -HaveCount 3
            $sets = @($syntax | ForEach-Object { , @($_.Parameter.Name) })
            @($sets | Where-Object { $_ -contains 'Image' -and $_ -notcontains 'Path' -and $_ -notcontains 'LiteralPath' }) | Should -HaveCount 1
            @($sets | Where-Object { $_ -contains 'Path' -and $_ -notcontains 'Image' -and $_ -notcontains 'LiteralPath' }) | Should -HaveCount 1
            @($sets | Where-Object { $_ -contains 'LiteralPath' -and $_ -notcontains 'Image' -and $_ -notcontains 'Path' }) | Should -HaveCount 1
            (Get-Help Edit-SeedreamImage -Parameter LiteralPath).Description.Text | Should -Match 'exactly as typed'
        }

        It 'reads a file on a PSDrive made with New-PSDrive, through -Image, -Path and -LiteralPath' {
            $null = Edit-SeedreamImage -Prompt p -Image "${DriveName}:/person.png"
            Get-WireBytes | Should -Be (Get-FileBytes 'person.png')
            $null = Edit-SeedreamImage -Prompt p -LiteralPath "${DriveName}:\jacket.png"
            Get-WireBytes | Should -Be (Get-FileBytes 'jacket.png')
            $null = Edit-SeedreamImage -Prompt p -Path "${DriveName}:/j*.png"
            Get-WireBytes | Should -Be (Get-FileBytes 'jacket.png')
            @(Get-FakeRequest $Fake -Target generate) | Should -HaveCount 3
        }

        It 'reads a file through Temp:' {
            $name = 'seedream-temp-' + [guid]::NewGuid().ToString('N') + '.png'
            $file = New-TestImageFile -Path (Join-Path ([IO.Path]::GetTempPath()) $name) -Width 33 -Height 44
            try {
                $null = Edit-SeedreamImage -Prompt p -Image "Temp:/$name"
                Get-WireBytes | Should -Be ([IO.File]::ReadAllBytes($file.FullName))
            }
            finally { Remove-Item -LiteralPath $file.FullName }
        }

        It 'takes a name with [ literally through -Image and -LiteralPath, and as a wildcard through -Path' {
            Set-Location -LiteralPath $Pictures
            $null = Edit-SeedreamImage -Prompt p -Image './[1].png'
            Get-WireBytes | Should -Be (Get-FileBytes '[1].png')
            $null = Edit-SeedreamImage -Prompt p -LiteralPath '[1].png'
            Get-WireBytes | Should -Be (Get-FileBytes '[1].png')
            $null = Edit-SeedreamImage -Prompt p -Path '[1].png'
            Get-WireBytes | Should -Be (Get-FileBytes '1.png') -Because 'with -Path, [1] is a wildcard that matches 1.png'
            $null = Edit-SeedreamImage -Prompt p -Path '`[1`].png'
            Get-WireBytes | Should -Be (Get-FileBytes '[1].png') -Because 'escaped brackets are literal'
        }

        It 'takes Get-ChildItem output as the files themselves (one request per file, names with [ included)' {
            # Since the per-request parameters bind by property name, PowerShell keeps a piped file in the default (-Image)
            # parameter set: the FileInfo binds -Image (the file, taken literally), never its PSPath text as a pattern.
            $files = Get-ChildItem -LiteralPath $Pictures -Filter '*.png' -File | Sort-Object Name
            $log = Join-Path $Root ('trace-' + [guid]::NewGuid().ToString('N') + '.txt')
            $null = Trace-Command -Name ParameterBinding -Expression { $files[0] | Edit-SeedreamImage -Prompt p } -FilePath $log
            $trace = (Get-Content -LiteralPath $log -Raw) -replace '\r?\n', '' # the trace file wraps its lines at 80 columns
            Remove-Item -LiteralPath $log
            $trace | Should -Match 'to param \[Image\] SUCCESSFUL'
            $trace | Should -Not -Match 'to param \[Path\] SUCCESSFUL'
            Reset-FakeSeedreamApi $Fake
            $results = $files | Edit-SeedreamImage -Prompt 'each'
            $results | Should -HaveCount $files.Count
            $requests = @(Get-FakeRequest $Fake -Target generate)
            $requests | Should -HaveCount $files.Count
            for ($i = 0; $i -lt $files.Count; $i++) { Get-WireBytes -Request $i | Should -Be ([IO.File]::ReadAllBytes($files[$i].FullName)) }
        }

        It 'binds any object with a PSPath, such as Get-ChildItem | Select-Object PSPath, to -LiteralPath' {
            $null = Get-ChildItem -LiteralPath $Pictures -Filter 'person.png' | Select-Object PSPath | Edit-SeedreamImage -Prompt p
            Get-WireBytes | Should -Be (Get-FileBytes 'person.png')
        }

        It 'still takes strings, URLs, FileInfo and results piped by value through -Image' {
            Set-Location -LiteralPath $Pictures
            $null = 'person.png', 'https://img.example/a.png' | Edit-SeedreamImage -Prompt p
            $requests = @(Get-FakeRequest $Fake -Target generate)
            $requests | Should -HaveCount 2
            $requests[1].body.image | Should -Be 'https://img.example/a.png'
            $null = Edit-SeedreamImage -Prompt p -Image (Get-Item -LiteralPath (Join-Path $Pictures 'jacket.png'))
            Get-WireBytes | Should -Be (Get-FileBytes 'jacket.png')
            $result = New-SeedreamImage -Prompt 'first'
            $null = $result | Edit-SeedreamImage -Prompt 'again'
            @(Get-FakeRequest $Fake -Target generate)[-1].body.image | Should -Be $result.Url
        }

        It '-Path expands each pattern in name order into one fusion request and skips folders it matches' {
            $null = Edit-SeedreamImage -Prompt p -Path "${DriveName}:/*.png"
            $requests = @(Get-FakeRequest $Fake -Target generate)
            $requests | Should -HaveCount 1
            $names = @(Get-ChildItem -LiteralPath $Pictures -Filter '*.png' -File | Sort-Object Name | ForEach-Object Name)
            @($requests[0].body.image) | Should -HaveCount $names.Count -Because 'the folder nested.png is skipped'
        }

        It 'refuses <Case> before any request, naming the parameter and the rule' -ForEach @(
            @{ Case = 'an empty string'; Call = { Edit-SeedreamImage -Prompt p -Image '' }; Says = "^Parameter -Image: an empty string is not an image" }
            @{ Case = 'a blank string'; Call = { Edit-SeedreamImage -Prompt p -Image '   ' }; Says = "^Parameter -Image: an empty string is not an image" }
            @{ Case = 'file:/// without a path'; Call = { Edit-SeedreamImage -Prompt p -Image 'file:///' }; Says = "^Parameter -Image: 'file:///' names no file; a file: URI needs a path" }
            @{ Case = 'a file: URI of a missing file'; Call = { Edit-SeedreamImage -Prompt p -Image 'file:///no/such/seedream-image.png' }; Says = "^Parameter -Image: the file '.*seedream-image.png' does not exist" }
            @{ Case = 'an ftp:// URL'; Call = { Edit-SeedreamImage -Prompt p -Image 'ftp://127.0.0.1/a.png' }; Says = "^Parameter -Image: 'ftp://127.0.0.1/a.png' uses the ftp: scheme; only http\(s\) URLs, data URIs and files" }
            @{ Case = 'a path on the Env: provider'; Call = { Edit-SeedreamImage -Prompt p -LiteralPath 'Env:/PATH' }; Says = "^Parameter -LiteralPath: 'Env:/PATH' is on the Environment provider, not the file system" }
            @{ Case = 'a wildcard on another provider'; Call = { Edit-SeedreamImage -Prompt p -Path 'Variable:/P*' }; Says = "^Parameter -Path: 'Variable:/P\*' is on the Variable provider" }
            @{ Case = 'a folder named like a file'; Call = { Edit-SeedreamImage -Prompt p -LiteralPath "$DriveName`:/nested.png" }; Says = "^Parameter -LiteralPath: '.*nested.png' is a folder, not a file" }
            @{ Case = 'a -Path that matches only folders'; Call = { Edit-SeedreamImage -Prompt p -Path "$DriveName`:/nest*" }; Says = "^Parameter -Path: '.*nest\*' matches only folders \(nested.png\), no file" }
            @{ Case = 'an empty -Path'; Call = { Edit-SeedreamImage -Prompt p -Path '' }; Says = "Cannot validate argument on parameter 'Path'. The argument is null, empty" }
        ) {
            $refusal = Get-Refusal $Call
            $refusal | Should -Not -BeNullOrEmpty
            $refusal.Exception.Message | Should -Match $Says
            $refusal.Exception.Message | Should -Not -Match 'Cannot find drive|InvalidOperation'
            @(Get-FakeRequest $Fake) | Should -HaveCount 0
        }

        It 'reads a file: URI as the local file' {
            $uri = [Uri]::new((Join-Path $Pictures 'person.png'), [UriKind]::Absolute).AbsoluteUri
            $uri | Should -BeLike 'file:///*'
            $null = Edit-SeedreamImage -Prompt p -Image $uri
            Get-WireBytes | Should -Be (Get-FileBytes 'person.png')
        }
    }

    Context 'Save-SeedreamResult folders' {
        It 'saves onto a PSDrive made with New-PSDrive' {
            $files = New-SeedreamImage -Prompt 'onto a drive' -ResponseFormat Base64Json | Save-SeedreamResult -Path "${DriveName}:/saved" -PassThru
            $files | Should -HaveCount 1
            $files[0].DirectoryName | Should -Be (Join-Path $Pictures 'saved')
            $files[0].PSDrive.Name | Should -Not -BeNullOrEmpty
        }

        It 'with Set-Location Env: (no -Path) refuses clearly and writes nothing into the process''s working folder' {
            $image = New-SeedreamImage -Prompt 'env' -ResponseFormat Base64Json
            $process = [IO.Directory]::GetCurrentDirectory()
            $before = @(Get-ChildItem -LiteralPath $process -Force).Count
            Set-Location Env:
            $refusal = Get-Refusal { $image | Save-SeedreamResult }
            Set-Location -LiteralPath $Root
            $refusal.FullyQualifiedErrorId | Should -BeLike 'Seedream.InvalidParameter,*'
            $refusal.Exception.Message | Should -Match "^Parameter -Path: the current location 'Env:.*' is on the Environment provider, not the file system"
            @(Get-ChildItem -LiteralPath $process -Force).Count | Should -Be $before
        }

        It 'refuses -Path Variable:\shots, naming the provider' {
            $refusal = Get-Refusal { New-SeedreamImage -Prompt v -ResponseFormat Base64Json | Save-SeedreamResult -Path 'Variable:\shots' }
            $refusal.Exception.Message | Should -Match "^Parameter -Path: 'Variable:\\shots' is on the Variable provider, not the file system"
            Test-Path Variable:\shots | Should -BeFalse
        }

        It '-Path ./phot* means the one folder it matches, and never creates a folder named phot*' {
            $work = Join-Path $Root ('wild-' + [guid]::NewGuid().ToString('N'))
            $null = New-Item -ItemType Directory -Path $work
            Set-Location -LiteralPath $work
            $image = New-SeedreamImage -Prompt 'wild' -ResponseFormat Base64Json
            $none = Get-Refusal { $image | Save-SeedreamResult -Path './phot*' }
            $none.Exception.Message | Should -Match "^Parameter -Path: './phot\*' holds wildcard characters and matches nothing; a wildcard must name exactly one existing folder"
            @(Get-ChildItem -LiteralPath $work -Force) | Should -HaveCount 0
            $null = New-Item -ItemType Directory -Path (Join-Path $work 'photos')
            $file = $image | Save-SeedreamResult -Path './phot*' -PassThru
            $file.DirectoryName | Should -Be (Join-Path $work 'photos')
            $null = New-Item -ItemType Directory -Path (Join-Path $work 'photos2')
            $two = Get-Refusal { $image | Save-SeedreamResult -Path './phot*' -Force }
            $two.Exception.Message | Should -Match 'matches 2 folder\(s\) \(photos, photos2\)'
            Get-ChildItem -LiteralPath $work -Force | Where-Object Name -Like '*`**' | Should -BeNullOrEmpty
        }

        It '-LiteralPath (and an escaped -Path) create a folder whose name holds brackets' {
            $image = New-SeedreamImage -Prompt 'brackets' -ResponseFormat Base64Json
            $literal = $image | Save-SeedreamResult -LiteralPath (Join-Path $Root 'shots[1]') -PassThru
            $literal.DirectoryName | Should -Be (Join-Path $Root 'shots[1]')
            $escaped = $image | Save-SeedreamResult -Path (Join-Path $Root 'shots`[2`]') -PassThru
            $escaped.DirectoryName | Should -Be (Join-Path $Root 'shots[2]')
        }

        It '-PassThru returns FileInfo as Get-Item would: PSPath, PSParentPath, PSChildName, PSDrive, PSProvider and the file view' {
            $file = New-SeedreamImage -Prompt 'item' -ResponseFormat Base64Json | Save-SeedreamResult -Path "${DriveName}:/items" -PassThru
            $item = Get-Item -LiteralPath $file.FullName
            $file | Should -BeOfType [System.IO.FileInfo]
            foreach ($property in 'PSPath', 'PSParentPath', 'PSChildName', 'PSIsContainer') {
                $file.$property | Should -Be $item.$property -Because "-PassThru carries $property as Get-Item does"
            }
            $file.PSProvider.Name | Should -Be 'FileSystem'
            $text = $file | Out-String -Width 120
            $text | Should -Match ('Directory: ' + [regex]::Escape((Join-Path $Pictures 'items')))
            $text | Should -Match ([regex]::Escape($file.Name))
            if (-not $IsWindows) { $text | Should -Match 'UnixMode' }
        }
    }
}
