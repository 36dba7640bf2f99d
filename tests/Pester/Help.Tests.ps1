# Help: every cmdlet and parameter documented (from the generated MAML, as Get-Help shows it), the markdown source
# in line with the built cmdlets, every example parses, and the examples run against the fake API.
BeforeDiscovery {
    $repo = Resolve-Path (Join-Path $PSScriptRoot '../..')
    $manifest = Import-PowerShellDataFile (Join-Path $repo 'Seedream.psd1')
    $script:CmdletCases = @($manifest.CmdletsToExport | ForEach-Object { @{ Name = $_ } })
    Import-Module (Join-Path $repo '.build/MarkdownHelp.psm1') -Force
    $script:ExampleCases = @(foreach ($file in Get-ChildItem (Join-Path $repo 'docs/en-US') -Filter '*-*.md') {
            $help = Read-MarkdownHelp -Path $file.FullName
            foreach ($example in $help.Examples) { @{ Cmdlet = $help.Name; Title = $example.Title; Code = $example.Code } }
        })
}

Describe 'Help' {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'TestSetup.ps1')
        Import-Module (Join-Path $repo '.build/MarkdownHelp.psm1') -Force
        $script:Docs = Join-Path $repo 'docs/en-US'
        $script:ModuleBase = (Get-Module Seedream).ModuleBase
        function Get-Doc([string] $Name) { Read-MarkdownHelp -Path (Join-Path $Docs "$Name.md") }
    }
    AfterAll { . (Join-Path $PSScriptRoot 'TestTeardown.ps1') }
    BeforeEach { Reset-FakeSeedreamApi $Fake }

    Describe '<Name>' -ForEach $CmdletCases {
        It 'has a synopsis, a description, at least two examples and related links in Get-Help' {
            $help = Get-Help $Name -Full
            $help.Synopsis | Should -Not -BeNullOrEmpty
            $help.Synopsis | Should -Not -Match '^\s*Get-|\{\{'
            ($help.Description.Text -join ' ') | Should -Match '\w{4,}'
            @($help.Examples.Example).Count | Should -BeGreaterOrEqual 2
            @($help.RelatedLinks.NavigationLink).Count | Should -BeGreaterOrEqual 1
        }

        It 'describes every parameter, inherited ones included, with its type, default and pipeline input' {
            $command = Get-Command $Name
            $missing = foreach ($parameter in Get-DocumentedParameterName $command) {
                $help = Get-Help $Name -Parameter $parameter -ErrorAction SilentlyContinue
                $text = if ($help) { ($help.Description.Text -join ' ').Trim() } else { '' }
                if ($text.Length -lt 20 -or $text -match '\{\{') { $parameter; continue }
                if (-not $help.defaultValue -or -not $help.pipelineInput -or -not $help.type.name) { "$parameter (facts)" }
            }
            $missing | Should -BeNullOrEmpty -Because 'each parameter needs help in docs/en-US; run .build/Update-MarkdownHelp.ps1 to add sections'
        }

        It 'states in the markdown the same type, position, requirement, pipeline input and aliases as the cmdlet' {
            $command = Get-Command $Name
            $doc = Get-Doc $Name
            $documented = @($doc.Parameters.Name)
            $expected = @(Get-DocumentedParameterName $command)
            $documented | Where-Object { $_ -notin $expected } | Should -BeNullOrEmpty -Because 'help must not describe parameters that do not exist'
            foreach ($parameter in $doc.Parameters) {
                $facts = Get-ParameterMetadata -Command $command -Name $parameter.Name
                "$($parameter.Name): $($parameter.Type) $($parameter.Required) $($parameter.Position) $($parameter.PipelineInput) $($parameter.Aliases -join ',')" |
                    Should -Be "$($parameter.Name): $($facts.Type) $($facts.Required) $($facts.Position) $($facts.PipelineInput) $($facts.Aliases -join ',')"
                $parameter.AcceptedValues | Should -Be $facts.AcceptedValues
            }
        }

        It 'documents the real default of every parameter that has one' {
            $command = Get-Command $Name
            $instance = [Activator]::CreateInstance($command.ImplementingType)
            foreach ($parameter in (Get-Doc $Name).Parameters) {
                $property = $command.ImplementingType.GetProperty($parameter.Name)
                if (-not $property) { continue }
                $value = $property.GetValue($instance)
                if ($value -is [System.Management.Automation.SwitchParameter]) { $parameter.DefaultValue | Should -Be 'False'; continue }
                if ($null -eq $value -or $value -is [array] -or ($value -is [string] -and $value -eq '')) { continue }
                if ($parameter.Name -eq 'MaxImages' -or $parameter.Name -eq 'OutputFormat' -or $parameter.Name -eq 'OptimizePromptMode') {
                    # Not sent unless given; the documented default is what the API then uses.
                    continue
                }
                $parameter.DefaultValue | Should -BeLike "$value*" -Because "-$($parameter.Name) defaults to $value"
            }
        }
    }

    Describe 'Example <Cmdlet>: <Title>' -ForEach $ExampleCases {
        It 'parses without errors' {
            $tokens = $null; $errors = $null
            $null = [System.Management.Automation.Language.Parser]::ParseInput($Code, [ref]$tokens, [ref]$errors)
            $errors | Should -BeNullOrEmpty
        }

        It 'runs against the fake API in a fresh runspace' {
            if ($Code -match 'Read-Host') { Set-ItResult -Skipped -Because 'it prompts for a key'; return }
            $work = Join-Path ([IO.Path]::GetTempPath()) "seedream-example-$([guid]::NewGuid().ToString('N'))"
            $null = New-Item -ItemType Directory -Path $work, (Join-Path $work 'photos'), (Join-Path $work 'products')
            foreach ($name in 'photo.png', 'person.png', 'jacket.png', 'style.png', 'photos/beach.png', 'photos/city.png', 'products/mug.png', 'products/lamp.png') {
                $null = New-TestImageFile -Path (Join-Path $work $name)
            }
            # Layer decomposition takes images of at least 512x512.
            $null = New-Item -ItemType Directory -Path (Join-Path $work 'posters')
            foreach ($name in 'poster.png', 'posters/poster-a.png') { $null = New-TestImageFile -Path (Join-Path $work $name) -Width 1200 -Height 900 }
            $before = @(Get-ChildItem $work -Recurse -File).Count
            $ps = [powershell]::Create()
            try {
                $null = $ps.AddScript('param($m, $d) Set-Location -LiteralPath $d; Import-Module $m; $ProgressPreference = "SilentlyContinue"').AddArgument($ModuleBase).AddArgument($work)
                $null = $ps.Invoke()
                $ps.Commands.Clear()
                $null = $ps.AddScript($Code)
                $output = $ps.Invoke()
                @($ps.Streams.Error | ForEach-Object { "$_" }) | Should -BeNullOrEmpty
                $generated = @(Get-FakeRequest $Fake -Target generate)
                if ($Code -match '(New|Edit|Split)-SeedreamImage' -and $Code -notmatch '-WhatIf') {
                    $generated.Count | Should -BeGreaterOrEqual 1 -Because 'the example calls the API'
                    $output.Count + @(Get-ChildItem $work -Recurse -File).Count - $before | Should -BeGreaterThan 0 -Because 'it writes results or files'
                }
                if ($Code -match 'Save-SeedreamResult' -and $Code -notmatch '-WhatIf') {
                    @(Get-ChildItem $work -Recurse -File).Count | Should -BeGreaterThan $before -Because 'the example saves files'
                }
                if ($Code -match '(New|Edit|Split)-SeedreamImage[^\r\n|]*-WhatIf') { $generated | Should -BeNullOrEmpty }
            }
            finally {
                $ps.Dispose()
                Remove-Item $work -Recurse -Force -ErrorAction SilentlyContinue
            }
        }
    }

    Describe 'about_Seedream' {
        It 'is found by Get-Help and covers modes, providers, sizes, costs, limits, expiry, streaming and recipes' {
            $text = Get-Help about_Seedream | Out-String
            foreach ($topic in 'TEXT TO IMAGE', 'FUSION', 'SEQUENCE', 'APIYI', 'BytePlus', 'Volcengine', 'SEEDREAM_API_KEY', 'ARK_API_KEY',
                '3,686,400', '10,404,496', '16,777,216', '921,600', '$0.035', '$0.04', '$0.03', '15', '24 hours', '-Stream', 'RECIPES', 'runbook') {
                $text | Should -BeLike "*$topic*" -Because "about_Seedream should cover '$topic'"
            }
        }
    }

    Describe 'Generated MAML' {
        It 'is built from docs/en-US into the module and holds one command per markdown file' {
            $maml = Join-Path $ModuleBase 'en-US/Seedream.dll-Help.xml'
            $maml | Should -Exist
            [xml]$xml = Get-Content $maml -Raw
            $names = @($xml.helpItems.command | ForEach-Object { $_.details.name }) | Sort-Object
            $names | Should -Be @((Get-ChildItem $Docs -Filter '*-*.md').BaseName | Sort-Object)
        }

        It 'the markdown round-trips through the updater unchanged (no stale yaml facts)' {
            $copy = Join-Path ([IO.Path]::GetTempPath()) "seedream-docs-$([guid]::NewGuid().ToString('N'))"
            Copy-Item $Docs $copy -Recurse
            try {
                foreach ($command in Get-Command -Module Seedream -CommandType Cmdlet) {
                    $path = Join-Path $copy "$($command.Name).md"
                    Update-MarkdownHelp -Command $command -Path $path
                    Get-Content $path -Raw | Should -BeExactly (Get-Content (Join-Path $Docs "$($command.Name).md") -Raw) -Because "$($command.Name).md should match the built cmdlet; run .build/Update-MarkdownHelp.ps1"
                }
            }
            finally { Remove-Item $copy -Recurse -Force }
        }
    }
}
