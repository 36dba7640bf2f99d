# Help: every cmdlet and parameter documented (from the generated MAML, as Get-Help shows it), the markdown source
# in line with the built cmdlets, every example parses, and the examples run on the module's simulator and print what
# their documentation shows.
BeforeDiscovery {
    $repo = Resolve-Path (Join-Path $PSScriptRoot '../..')
    $manifest = Import-PowerShellDataFile (Join-Path $repo 'Seedream.psd1')
    $script:CmdletCases = @($manifest.CmdletsToExport | ForEach-Object { @{ Name = $_ } })
    Import-Module (Join-Path $repo '.build/MarkdownHelp.psm1') -Force
    $script:ExampleCases = @(foreach ($file in Get-ChildItem (Join-Path $repo 'docs/en-US') -Filter '*-*.md') {
            $help = Read-MarkdownHelp -Path $file.FullName
            foreach ($example in $help.Examples) {
                # What the example shows it prints: the fenced blocks after its code (none for most).
                $shown = @($example.Remarks | Where-Object { $_ -match '^```' } | ForEach-Object { $_ -replace '^```\w*\r?\n', '' -replace '\r?\n```$', '' })
                @{ Cmdlet = $help.Name; Title = $example.Title; Code = $example.Code; Shown = ($shown -join "`n") }
            }
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

        It 'documents the real default of every parameter, exactly' {
            # Where the help says more than the property's initial value (a default decided later, or not sent), the
            # exact text is here with the initial value it stands for; every other parameter's help states the value
            # itself, 'None' for a null or empty one, and 'False' for a switch.
            $explained = @{
                '*/ApiKey'                          = @{ Value = $null; Doc = 'None (Connect-Seedream, then the environment)' }
                'Connect-Seedream/ApiKey'           = @{ Value = $null; Doc = 'None (the environment)' }
                'Get-SeedreamConnection/ApiKey'     = @{ Value = $null; Doc = 'None' }
                '*/BaseUri'                         = @{ Value = $null; Doc = 'None (Connect-Seedream, $env:SEEDREAM_BASE_URI, then the provider''s address)' }
                'Connect-Seedream/BaseUri'          = @{ Value = $null; Doc = 'None ($env:SEEDREAM_BASE_URI, then the provider''s address)' }
                'Get-SeedreamConnection/BaseUri'    = @{ Value = $null; Doc = 'None' }
                '*/Provider'                        = @{ Value = $null; Doc = 'APIYI' }
                'Get-SeedreamModel/Provider'        = @{ Value = $null; Doc = 'The connected provider, else APIYI' }
                'Connect-Seedream/Provider'         = @{ Value = $null; Doc = 'The connected provider, else APIYI' }
                'Get-SeedreamConnection/Provider'   = @{ Value = $null; Doc = 'None' }
                '*/Model'                           = @{ Value = $null; Doc = 'The provider''s default: 5.0-lite on APIYI and BytePlus, 5.5 on Volcengine' }
                '*/Proxy'                           = @{ Value = $null; Doc = 'None (the system proxy)' }
                '*/Size'                            = @{ Value = $null; Doc = 'None (the API uses 2K)' }
                '*/MaxImages'                       = @{ Value = '0'; Doc = 'None (one image, no sequence)' }
                '*/Thinking'                        = @{ Value = 'Enabled'; Doc = 'Enabled (not sent unless given)' }
                '*/Background'                      = @{ Value = 'Auto'; Doc = 'Auto (not sent unless given; the model then uses its own)' }
                'Split-SeedreamImage/MaxLayers'     = @{ Value = '0'; Doc = '0 (not given: every layer the model makes, up to its cap)' }
                'Split-SeedreamImage/Model'         = @{ Value = $null; Doc = 'The cheapest live model on the provider that can decompose (5.0-pro on APIYI, 5.0-flash on BytePlus and Volcengine)' }
                'Split-SeedreamImage/Prompt'        = @{ Value = $null; Doc = "'' (the model decides what to separate)" }
                'Split-SeedreamImage/Size'          = @{ Value = $null; Doc = 'auto' }
                'Save-SeedreamResult/Path'          = @{ Value = $null; Doc = 'The current location' }
                'Get-SeedreamImageInfo/Path'        = @{ Value = '.'; Doc = 'The current folder' }
                'Export-SeedreamGallery/Path'       = @{ Value = '.'; Doc = 'The current folder' }
                'Export-SeedreamGallery/OutFile'    = @{ Value = $null; Doc = 'index.html beside the first image' }
                'Export-SeedreamGallery/Title'      = @{ Value = $null; Doc = 'Seedream gallery: <folder>' }
                'Get-SeedreamModel/Name'            = @{ Value = $null; Doc = 'All models' }
                'Connect-Seedream/CatalogPath'      = @{ Value = $null; Doc = 'None ($env:SEEDREAM_CATALOG, else the module''s catalog alone)' }
            }
            $command = Get-Command $Name
            $instance = [Activator]::CreateInstance($command.ImplementingType)
            $checked = foreach ($parameter in (Get-Doc $Name).Parameters) {
                $property = $command.ImplementingType.GetProperty($parameter.Name)
                $value = if ($property) { $property.GetValue($instance) } else { $false }   # -WhatIf and -Confirm
                $shown = if ($value -is [System.Management.Automation.SwitchParameter]) { "$($value.IsPresent)" }
                    elseif ($null -eq $value -or ($value -is [string] -and $value -eq '')) { $null }
                    elseif ($value -is [array]) { $value -join ', ' }
                    else { [string]::Format([cultureinfo]::InvariantCulture, '{0}', $value) }
                $rule = $explained["$Name/$($parameter.Name)"]
                if (-not $rule) { $rule = $explained["*/$($parameter.Name)"] }
                if ($rule) {
                    $shown | Should -BeExactly $rule.Value -Because "-$($parameter.Name)'s initial value is what its help explains"
                    $parameter.DefaultValue | Should -BeExactly $rule.Doc -Because "-$($parameter.Name) of $Name"
                }
                else {
                    $parameter.DefaultValue | Should -BeExactly $(if ($null -eq $shown) { 'None' } else { $shown }) -Because "-$($parameter.Name) of $Name defaults to '$shown'"
                }
                $parameter.Name
            }
            # Every parameter of the cmdlet had its default checked (a cmdlet without parameters documents none).
            (@($checked) | Sort-Object) -join ', ' | Should -BeExactly ((@(Get-DocumentedParameterName $command) | Sort-Object) -join ', ')
        }
    }

    Describe 'Example <Cmdlet>: <Title>' -ForEach $ExampleCases {
        It 'parses without errors' {
            $tokens = $null; $errors = $null
            $null = [System.Management.Automation.Language.Parser]::ParseInput($Code, [ref]$tokens, [ref]$errors)
            $errors | Should -BeNullOrEmpty
        }

        BeforeAll {
            # The example's folder: the files examples name, made up.
            function New-ExampleFolder {
                $work = Join-Path ([IO.Path]::GetTempPath()) "seedream-example-$([guid]::NewGuid().ToString('N'))"
                $null = New-Item -ItemType Directory -Path $work, (Join-Path $work 'photos'), (Join-Path $work 'products')
                foreach ($name in 'photo.png', 'person.png', 'jacket.png', 'style.png', 'photos/beach.png', 'photos/city.png', 'products/mug.png', 'products/lamp.png') {
                    $null = New-TestImageFile -Path (Join-Path $work $name)
                }
                # Layer decomposition takes images of at least 512x512.
                $null = New-Item -ItemType Directory -Path (Join-Path $work 'posters')
                foreach ($name in 'poster.png', 'posters/poster-a.png') { $null = New-TestImageFile -Path (Join-Path $work $name) -Width 1200 -Height 900 }
                $work
            }

            # Run before every example: what it generates (and a model listing it asks for) goes to the simulator (a -WhatIf
            # call keeps the documented provider: it sends nothing), and Read-Host answers for the reader, so the examples
            # that ask for a key run too.
            $script:ExamplePreamble = @'
$ProgressPreference = 'SilentlyContinue'
$PSStyle.OutputRendering = 'PlainText'
function Read-Host { param([Parameter(Position = 0)] $Prompt, [switch] $AsSecureString, [switch] $MaskInput)
    if ($AsSecureString) { ConvertTo-SecureString 'sk-example-key' -AsPlainText -Force } else { 'sk-example-key' } }
$toSimulator = { if ($args[0].BoundParameters -notcontains 'WhatIf') { 'Simulator' } }
foreach ($command in 'New-SeedreamImage', 'Edit-SeedreamImage', 'Split-SeedreamImage') { $PSDefaultParameterValues["${command}:Provider"] = $toSimulator }
$PSDefaultParameterValues['Get-SeedreamModel:Provider'] = { if ($args[0].BoundParameters -contains 'Online') { 'Simulator' } }
'@
            # Output compared line by line, blank lines and trailing spaces aside; a folder path and a file name's
            # time stamp and request id (which differ on every run and machine) stand as <path> and <stamp>.
            function ConvertTo-ComparableOutput([string] $Text) {
                $Text = $Text -replace '"(?:[A-Za-z]:)?[\\/][^"]*[\\/]([^"\\/]+)"', '"<path>/$1"'
                $Text = $Text -replace '\d{8}-\d{6}-[0-9a-z]{6}', '<stamp>'
                @($Text -split '\r?\n' | ForEach-Object { $_.TrimEnd() } | Where-Object { $_ })
            }
        }

        It 'runs on the simulator in a fresh runspace' {
            $work = New-ExampleFolder
            $before = @(Get-ChildItem $work -Recurse -File).Count
            $answered = [Seedream.Simulator.SimulatorHandler]::RequestsAnswered
            $ps = [powershell]::Create()
            try {
                $null = $ps.AddScript('param($m, $d) Set-Location -LiteralPath $d; Import-Module $m').AddArgument($ModuleBase).AddArgument($work)
                $null = $ps.Invoke()
                $ps.Commands.Clear()
                $null = $ps.AddScript($ExamplePreamble).Invoke()
                $ps.Commands.Clear()
                $null = $ps.AddScript($Code)
                $output = $ps.Invoke()
                @($ps.Streams.Error | ForEach-Object { "$_" }) | Should -BeNullOrEmpty
                # Nothing generated reaches a provider (the fake API stands in for one here, through $env:SEEDREAM_BASE_URI).
                @(Get-FakeRequest $Fake -Target generate) | Should -BeNullOrEmpty
                if ($Code -match '(New|Edit|Split)-SeedreamImage' -and $Code -notmatch '-WhatIf') {
                    [Seedream.Simulator.SimulatorHandler]::RequestsAnswered | Should -BeGreaterThan $answered -Because 'the example ran on the simulator'
                    $output.Count + @(Get-ChildItem $work -Recurse -File).Count - $before | Should -BeGreaterThan 0 -Because 'it writes results or files'
                }
                if ($Code -match 'Save-SeedreamResult' -and $Code -notmatch '-WhatIf') {
                    @(Get-ChildItem $work -Recurse -File).Count | Should -BeGreaterThan $before -Because 'the example saves files'
                }
            }
            finally {
                $ps.Dispose()
                Remove-Item $work -Recurse -Force -ErrorAction SilentlyContinue
            }
        }

        It 'prints what its documentation shows' {
            if (-not $Shown) { Set-ItResult -Skipped -Because 'the example shows no output'; return }
            if ($Code -match '-Online') { Set-ItResult -Skipped -Because "its output is the provider's own listing, which only the provider can show"; return }
            if ($Code -match 'Split-SeedreamImage' -and $Code -notmatch '-WhatIf') { Set-ItResult -Skipped -Because 'its output is the layers a provider finds in a real picture'; return }
            # A fresh PowerShell set up as the documentation assumes: a key in $env:SEEDREAM_API_KEY, no other settings,
            # and every proxy variable on a closed port, so nothing it does can leave the machine.
            $work = New-ExampleFolder
            try {
                $exe = [Environment]::ProcessPath
                $start = [System.Diagnostics.ProcessStartInfo]::new($exe)
                if ((Split-Path $exe -Leaf) -like 'dotnet*') { $start.ArgumentList.Add((Join-Path $PSHOME 'pwsh.dll')) }
                $script = "Import-Module '$ModuleBase'`n$ExamplePreamble`n$Code"
                foreach ($argument in '-NoProfile', '-NonInteractive', '-Command', $script) { $start.ArgumentList.Add($argument) }
                foreach ($name in 'SEEDREAM_BASE_URI', 'ARK_API_KEY', 'SEEDREAM_CATALOG') { $null = $start.Environment.Remove($name) }
                $start.Environment['SEEDREAM_API_KEY'] = 'sk-example-key'
                foreach ($name in 'HTTPS_PROXY', 'HTTP_PROXY', 'ALL_PROXY', 'https_proxy', 'http_proxy', 'all_proxy') { $start.Environment[$name] = 'http://127.0.0.1:9' }
                $start.WorkingDirectory = $work
                $start.RedirectStandardOutput = $true
                $start.RedirectStandardError = $true
                $start.UseShellExecute = $false
                $child = [System.Diagnostics.Process]::Start($start)
                $errors = $child.StandardError.ReadToEndAsync()
                $printed = $child.StandardOutput.ReadToEnd()
                $child.WaitForExit()
                $errors.Result | Should -BeNullOrEmpty
                ConvertTo-ComparableOutput $printed | Should -Be (ConvertTo-ComparableOutput $Shown)
            }
            finally { Remove-Item $work -Recurse -Force -ErrorAction SilentlyContinue }
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
