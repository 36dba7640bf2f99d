# Tab completion through TabExpansion2, as a user at the console gets it: -Model from the catalog for the current
# provider, -Size from the -Model already typed, -Provider from the catalog. Completion never rejects a value.
Describe 'Tab completion' {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'TestSetup.ps1')

        # The completion texts offered with the cursor at the end of the line.
        function Get-Completion([string] $Line) {
            (TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches.CompletionText
        }
        $script:Tiers4 = '1.5K', '1K', '2K', '3K', '4K'
    }
    AfterAll { . (Join-Path $PSScriptRoot 'TestTeardown.ps1') }
    BeforeEach {
        Reset-FakeSeedreamApi $Fake
        Disconnect-Seedream
    }

    Context '-Model' {
        It 'offers the catalog ids, the alias and the family names on <Command>' -ForEach @(
            @{ Command = 'New-SeedreamImage' }
            @{ Command = 'Edit-SeedreamImage' }
        ) {
            $offered = Get-Completion "$Command -Model "
            $offered | Should -Be @('seedream-5-5-261028', 'seedream-5-0-pro-260628', 'seedream-5-0-flash-260915', 'seedream-5-0-260128', 'seedream-5-0-lite-260128',
                'seedream-4-5-251128', 'seedream-4-0-250828', "'5.5'", "'5.0-pro'", 'pro', "'5.0-flash'", 'flash', "'5.0-lite'", 'lite', "'4.5'", "'4.0'")
        }

        It 'offers dola- ids for the new models on BytePlus, bare ids for the older' {
            $offered = Get-Completion 'New-SeedreamImage -Provider BytePlus -Model '
            $offered | Select-Object -First 4 | Should -Be @('dola-seedream-5-5-261028', 'dola-seedream-5-0-pro-260628', 'dola-seedream-5-0-flash-260915', 'seedream-5-0-260128')
            $offered | Should -Not -Contain 'seedream-5-5-261028'
        }

        It 'offers a model retired on the provider last (Volcengine: 5.0 lite)' {
            $offered = @(Get-Completion 'New-SeedreamImage -Provider Volcengine -Model ' | Where-Object { $_ -like 'doubao-*' })
            $offered[0] | Should -Be 'doubao-seedream-5-5-261028'
            $offered[-2..-1] | Should -Be @('doubao-seedream-5-0-260128', 'doubao-seedream-5-0-lite-260128')
        }

        It 'offers doubao- ids after Connect-Seedream -Provider Volcengine' {
            Connect-Seedream -Provider Volcengine -BaseUri $Fake.ApiVolcengine
            $offered = Get-Completion 'New-SeedreamImage -Model '
            $offered | Should -Contain 'doubao-seedream-4-5-251128'
            $offered | Should -Contain 'doubao-seedream-5-0-lite-260128'
            $offered | Where-Object { $_ -like 'seedream-*' } | Should -BeNullOrEmpty
            $offered | Should -Contain "'4.5'"
        }

        It 'follows -Provider on the command line over the connection' {
            Connect-Seedream -Provider Volcengine -BaseUri $Fake.ApiVolcengine
            $offered = Get-Completion 'New-SeedreamImage -Provider BytePlus -Model '
            $offered | Should -Contain 'seedream-4-5-251128'
            $offered | Where-Object { $_ -like 'doubao-*' } | Should -BeNullOrEmpty
            Disconnect-Seedream
            Get-Completion 'New-SeedreamImage -Provider Volcengine -Model ' | Should -Contain 'doubao-seedream-4-0-250828'
        }

        It 'narrows to what was typed' {
            Get-Completion 'New-SeedreamImage -Model seedream-4' | Should -Be @('seedream-4-5-251128', 'seedream-4-0-250828')
            Get-Completion 'New-SeedreamImage -Model 4.' | Should -Be @("'4.5'", "'4.0'")
            Get-Completion "New-SeedreamImage -Model 'seedream-5-0" | Should -Be @('seedream-5-0-pro-260628', 'seedream-5-0-flash-260915', 'seedream-5-0-260128', 'seedream-5-0-lite-260128')
            Get-Completion 'New-SeedreamImage -Model fl' | Should -Be 'flash'
        }

        It 'completes Get-SeedreamModel -Name for the chosen provider' {
            Get-Completion 'Get-SeedreamModel -Provider Volcengine -Name doubao-seedream-4-0' | Should -Be 'doubao-seedream-4-0-250828'
        }
    }

    Context '-Size' {
        It 'offers the tiers of -Model <Model>' -ForEach @(
            @{ Model = '4.0'; Tiers = @('1K', '2K', '4K'); Sample = '6240x2656' }
            @{ Model = "'4.0'"; Tiers = @('1K', '2K', '4K'); Sample = '4096x4096' }
            @{ Model = '4.5'; Tiers = @('2K', '4K'); Sample = '5504x3040' }
            @{ Model = '5.0-lite'; Tiers = @('2K', '3K'); Sample = '4704x2016' }
            @{ Model = 'seedream-4-0-250828'; Tiers = @('1K', '2K', '4K'); Sample = '2304x1728' }
            @{ Model = 'doubao-seedream-4-5-251128'; Tiers = @('2K', '4K'); Sample = '4992x3328' }
            @{ Model = 'seedream-5-0-lite-260128'; Tiers = @('2K', '3K'); Sample = '3456x2592' }
            @{ Model = '5.5'; Tiers = @('1K', '1.5K', '2K'); Sample = '2560x1440' }
            @{ Model = 'pro'; Tiers = @('1K', '2K'); Sample = '2304x1728' }
            @{ Model = 'dola-seedream-5-0-flash-260915'; Tiers = @('1K', '1.5K', '2K'); Sample = '1280x720' }
        ) {
            $offered = Get-Completion "New-SeedreamImage -Model $Model -Size "
            $offered.Trim("'") | Where-Object { $_ -match '^[\d.]+K$' } | Should -Be $Tiers
            $offered | Should -Contain $Sample
            $offered | Should -Contain '2048x2048'
        }

        It 'reads -Model from an abbreviated parameter name (-Mod 4.0)' {
            $offered = Get-Completion 'New-SeedreamImage -Mod 4.0 -Size '
            $offered | Should -Contain '1K'
            $offered | Should -Not -Contain '3K'
        }

        It 'uses the -Model typed after -Size too, and -Model:value' {
            (Get-Completion 'New-SeedreamImage -Model:4.0 -Size ') | Should -Contain '1K'
            $line = 'New-SeedreamImage -Size  -Model 4.0'
            $cursor = 'New-SeedreamImage -Size '.Length
            (TabExpansion2 -inputScript $line -cursorColumn $cursor).CompletionMatches.CompletionText | Should -Contain '1K'
        }

        It 'offers the provider''s default model''s sizes when no -Model is typed (5.0-lite on APIYI, 5.5 on Volcengine)' {
            $offered = Get-Completion 'New-SeedreamImage -Size '
            $offered.Trim("'") | Where-Object { $_ -match '^[\d.]+K$' } | Should -Be @('2K', '3K')
            $offered = Get-Completion 'New-SeedreamImage -Provider Volcengine -Size '
            $offered.Trim("'") | Where-Object { $_ -match '^[\d.]+K$' } | Should -Be @('1K', '1.5K', '2K')
        }

        It 'offers every tier once for a model the catalog does not know' {
            $offered = Get-Completion 'New-SeedreamImage -Model seedream-9-0-990101 -Size '
            $offered.Trim("'") | Where-Object { $_ -match '^[\d.]+K$' } | Sort-Object | Should -Be ($Tiers4 | Sort-Object)
            $offered | Should -HaveCount (@($offered | Select-Object -Unique).Count)
        }

        It 'narrows to what was typed' {
            Get-Completion 'New-SeedreamImage -Model 4.5 -Size 4' | Should -Be @('4K', '4096x4096', '4704x3520', '4992x3328')
            Get-Completion 'Edit-SeedreamImage -Model 4.0 -Size 1' | Should -Be '1K'
        }
    }

    Context '-Provider' {
        It 'offers the providers on <Command>' -ForEach @(
            @{ Command = 'Connect-Seedream' }
            @{ Command = 'New-SeedreamImage' }
            @{ Command = 'Get-SeedreamModel' }
            @{ Command = 'Get-SeedreamConnection' }
        ) {
            Get-Completion "$Command -Provider " | Should -Be @('APIYI', 'BytePlus', 'Volcengine', 'Simulator')
            Get-Completion "$Command -Provider v" | Should -Be 'Volcengine'
        }
    }

    Context 'Completion suggests, it never rejects' {
        It 'accepts a WxH the list does not offer' {
            (Get-Completion 'New-SeedreamImage -Model 4.0 -Size ') | Should -Not -Contain '1920x1920'
            $image = New-SeedreamImage -Prompt p -Model 4.0 -Size 1920x1920
            $image.Size | Should -Be '1920x1920'
            (Get-FakeRequest $Fake -Target generate).body.size | Should -Be '1920x1920'
        }

        It 'accepts a model id the list does not offer' {
            Connect-Seedream -Provider BytePlus -BaseUri $Fake.ApiBytePlus
            (Get-Completion 'New-SeedreamImage -Model ') | Should -Not -Contain 'ep-20260101120000-abcde'
            $image = New-SeedreamImage -Prompt p -Model 'ep-20260101120000-abcde' -WarningAction SilentlyContinue
            $image | Should -HaveCount 1
            (Get-FakeRequest $Fake -Target generate).body.model | Should -Be 'ep-20260101120000-abcde'
        }
    }
}
