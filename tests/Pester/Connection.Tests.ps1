# Providers, the connection and its precedence (parameter > Connect-Seedream > environment > default), the key
# never shown, and the model catalog as Get-SeedreamModel lists it.
Describe 'Providers and connection' {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'TestSetup.ps1')

        function Get-LastRequest { @(Get-FakeRequest $Fake -Target generate)[-1] }
        $script:Secret = 'sk-very-secret-0123456789'
    }
    AfterAll { . (Join-Path $PSScriptRoot 'TestTeardown.ps1') }
    BeforeEach {
        Reset-FakeSeedreamApi $Fake
        Disconnect-Seedream
        $env:SEEDREAM_BASE_URI = $Fake.ApiV1
        $env:SEEDREAM_API_KEY = $Fake.ApiKey
        Remove-Item Env:ARK_API_KEY -ErrorAction SilentlyContinue
    }

    Context 'What goes out per provider' {
        It '<Provider> sends family <Family> as <Id> to <Path>' -ForEach @(
            @{ Provider = 'APIYI'; Base = 'ApiV1'; Family = '5.5'; Id = 'seedream-5-5-261028'; Path = '/v1/images/generations' }
            @{ Provider = 'APIYI'; Base = 'ApiV1'; Family = 'pro'; Id = 'seedream-5-0-pro-260628'; Path = '/v1/images/generations' }
            @{ Provider = 'APIYI'; Base = 'ApiV1'; Family = 'flash'; Id = 'seedream-5-0-flash-260915'; Path = '/v1/images/generations' }
            @{ Provider = 'APIYI'; Base = 'ApiV1'; Family = '4.5'; Id = 'seedream-4-5-251128'; Path = '/v1/images/generations' }
            @{ Provider = 'APIYI'; Base = 'ApiV1'; Family = '4.0'; Id = 'seedream-4-0-250828'; Path = '/v1/images/generations' }
            @{ Provider = 'APIYI'; Base = 'ApiV1'; Family = '5.0-lite'; Id = 'seedream-5-0-260128'; Path = '/v1/images/generations' }
            @{ Provider = 'BytePlus'; Base = 'ApiBytePlus'; Family = '5.5'; Id = 'dola-seedream-5-5-261028'; Path = '/api/v3/images/generations' }
            @{ Provider = 'BytePlus'; Base = 'ApiBytePlus'; Family = 'pro'; Id = 'dola-seedream-5-0-pro-260628'; Path = '/api/v3/images/generations' }
            @{ Provider = 'BytePlus'; Base = 'ApiBytePlus'; Family = 'flash'; Id = 'dola-seedream-5-0-flash-260915'; Path = '/api/v3/images/generations' }
            @{ Provider = 'BytePlus'; Base = 'ApiBytePlus'; Family = '4.5'; Id = 'seedream-4-5-251128'; Path = '/api/v3/images/generations' }
            @{ Provider = 'BytePlus'; Base = 'ApiBytePlus'; Family = '4.0'; Id = 'seedream-4-0-250828'; Path = '/api/v3/images/generations' }
            @{ Provider = 'BytePlus'; Base = 'ApiBytePlus'; Family = '5.0-lite'; Id = 'seedream-5-0-260128'; Path = '/api/v3/images/generations' }
            @{ Provider = 'Volcengine'; Base = 'ApiVolcengine'; Family = '5.5'; Id = 'doubao-seedream-5-5-261028'; Path = '/volcengine/api/v3/images/generations' }
            @{ Provider = 'Volcengine'; Base = 'ApiVolcengine'; Family = 'pro'; Id = 'doubao-seedream-5-0-pro-260628'; Path = '/volcengine/api/v3/images/generations' }
            @{ Provider = 'Volcengine'; Base = 'ApiVolcengine'; Family = 'flash'; Id = 'doubao-seedream-5-0-flash-260915'; Path = '/volcengine/api/v3/images/generations' }
            @{ Provider = 'Volcengine'; Base = 'ApiVolcengine'; Family = '4.5'; Id = 'doubao-seedream-4-5-251128'; Path = '/volcengine/api/v3/images/generations' }
            @{ Provider = 'Volcengine'; Base = 'ApiVolcengine'; Family = '4.0'; Id = 'doubao-seedream-4-0-250828'; Path = '/volcengine/api/v3/images/generations' }
        ) {
            Connect-Seedream -Provider $Provider -BaseUri $Fake.$Base
            $image = New-SeedreamImage -Prompt p -Model $Family -WarningAction SilentlyContinue
            $request = Get-LastRequest
            $request.path | Should -Be $Path
            $request.body.model | Should -Be $Id
            $request.status | Should -Be 200
            $request.authorization | Should -Be 'ok'
            $image.Model | Should -Be $Id
        }

        It 'takes the short family names unquoted on the command line' {
            Connect-Seedream -Provider Volcengine -BaseUri $Fake.ApiVolcengine
            $null = New-SeedreamImage -Prompt p -Model 4.0 -WarningAction SilentlyContinue
            (Get-LastRequest).body.model | Should -Be 'doubao-seedream-4-0-250828'
            $null = New-SeedreamImage -Prompt p -Model 4.5 -WarningAction SilentlyContinue
            (Get-LastRequest).body.model | Should -Be 'doubao-seedream-4-5-251128'
            $null = New-SeedreamImage -Prompt p -Model 5.5
            (Get-LastRequest).body.model | Should -Be 'doubao-seedream-5-5-261028'
        }

        It 'uses a live default on Volcengine, where 5.0 lite is switched off: doubao-seedream-5-5-261028' {
            Connect-Seedream -Provider Volcengine -BaseUri $Fake.ApiVolcengine
            $null = New-SeedreamImage -Prompt p
            (Get-LastRequest).body.model | Should -Be 'doubao-seedream-5-5-261028'
        }

        It 'sends a full id as typed' {
            Connect-Seedream -Provider Volcengine -BaseUri $Fake.ApiVolcengine
            $null = New-SeedreamImage -Prompt p -Model doubao-seedream-4-5-251128 -WarningAction SilentlyContinue
            (Get-LastRequest).body.model | Should -Be 'doubao-seedream-4-5-251128'
        }

        It 'takes -Provider on the call itself over the connection' {
            Connect-Seedream -Provider Volcengine -BaseUri $Fake.ApiVolcengine
            $null = New-SeedreamImage -Prompt p -Model 4.5 -Provider BytePlus -BaseUri $Fake.ApiBytePlus
            (Get-LastRequest).body.model | Should -Be 'seedream-4-5-251128'
        }

        It '<Provider> allows <Limit> references and refuses <Over> before any request' -ForEach @(
            @{ Provider = 'APIYI'; Base = 'ApiV1'; Model = '4.5'; Limit = 10; Over = 11 }
            @{ Provider = 'BytePlus'; Base = 'ApiBytePlus'; Model = '4.5'; Limit = 14; Over = 15 }
            @{ Provider = 'Volcengine'; Base = 'ApiVolcengine'; Model = '4.5'; Limit = 14; Over = 15 }
            @{ Provider = 'BytePlus'; Base = 'ApiBytePlus'; Model = '5.5'; Limit = 10; Over = 11 }
        ) {
            Connect-Seedream -Provider $Provider -BaseUri $Fake.$Base
            $PSDefaultParameterValues = @{ '*-Seedream*:WarningAction' = 'SilentlyContinue' }
            $refusal = Get-Refusal { Edit-SeedreamImage -Prompt p -Model $Model -Image (New-ReferenceUrl $Over) }
            $refusal.FullyQualifiedErrorId | Should -BeLike 'Seedream.InvalidParameter,*'
            $refusal.Exception.Message | Should -Be "Parameter -Image: $Provider accepts at most $Limit reference images for $Model; $Over were given."
            @(Get-FakeRequest $Fake) | Should -HaveCount 0

            $null = Edit-SeedreamImage -Prompt p -Model $Model -Image (New-ReferenceUrl $Limit)
            $request = Get-LastRequest
            $request.status | Should -Be 200
            $request.body.image | Should -HaveCount $Limit
        }

        It 'refuses an unknown provider, naming -Provider and the known ones' {
            $refusal = Get-Refusal { Connect-Seedream -Provider Nowhere }
            $refusal.FullyQualifiedErrorId | Should -BeLike 'Seedream.InvalidParameter,*'
            $refusal.Exception.Message | Should -Be "Parameter -Provider: 'Nowhere' is not a known provider; use one of APIYI, BytePlus, Volcengine, Simulator."
            (Get-SeedreamConnection).Provider | Should -Be 'APIYI'
        }
    }

    Context 'Precedence: parameter, then Connect-Seedream, then environment, then default' {
        It 'shows the defaults when nothing is set, and no key' {
            Remove-Item Env:SEEDREAM_BASE_URI, Env:SEEDREAM_API_KEY
            $connection = Get-SeedreamConnection
            $connection.Provider | Should -Be 'APIYI'
            $connection.BaseUri | Should -Be 'https://api.apiyi.com/v1'
            $connection.BaseUriSource | Should -Be 'Default'
            $connection.HasApiKey | Should -BeFalse
            $connection.ApiKeySource | Should -Be 'None'
        }

        It 'shows each provider''s default base URI' -ForEach @(
            @{ Provider = 'BytePlus'; Uri = 'https://ark.ap-southeast.bytepluses.com/api/v3' }
            @{ Provider = 'Volcengine'; Uri = 'https://ark.cn-beijing.volces.com/api/v3' }
        ) {
            Remove-Item Env:SEEDREAM_BASE_URI
            Connect-Seedream -Provider $Provider -WarningAction SilentlyContinue
            $connection = Get-SeedreamConnection
            $connection.BaseUri | Should -Be $Uri
            $connection.BaseUriSource | Should -Be 'Default'
        }

        It 'takes the environment over the defaults' {
            $connection = Get-SeedreamConnection
            $connection.BaseUri | Should -Be $Fake.ApiV1
            $connection.BaseUriSource | Should -Be 'Environment:SEEDREAM_BASE_URI'
            $connection.ApiKeySource | Should -Be 'Environment:SEEDREAM_API_KEY'
            $connection.HasApiKey | Should -BeTrue
        }

        It 'reads ARK_API_KEY for <Provider>, before SEEDREAM_API_KEY' -ForEach @(
            @{ Provider = 'BytePlus' }
            @{ Provider = 'Volcengine' }
        ) {
            $env:ARK_API_KEY = $Fake.ApiKey
            $env:SEEDREAM_API_KEY = 'wrong-key'
            Connect-Seedream -Provider $Provider -BaseUri $Fake."Api$Provider"
            (Get-SeedreamConnection).ApiKeySource | Should -Be 'Environment:ARK_API_KEY'
            $null = New-SeedreamImage -Prompt p
            (Get-LastRequest).authorization | Should -Be 'ok'

            Remove-Item Env:ARK_API_KEY
            $env:SEEDREAM_API_KEY = $Fake.ApiKey
            (Get-SeedreamConnection).ApiKeySource | Should -Be 'Environment:SEEDREAM_API_KEY'
        }

        It 'does not read ARK_API_KEY for APIYI' {
            Remove-Item Env:SEEDREAM_API_KEY
            $env:ARK_API_KEY = $Fake.ApiKey
            $connection = Get-SeedreamConnection
            $connection.HasApiKey | Should -BeFalse
            $connection.ApiKeySource | Should -Be 'None'
        }

        It 'takes Connect-Seedream over the environment' {
            Connect-Seedream -ApiKey $Fake.ApiKey -BaseUri $Fake.ApiV3
            $env:SEEDREAM_API_KEY = 'wrong-key'
            $connection = Get-SeedreamConnection
            $connection.BaseUri | Should -Be $Fake.ApiV3
            $connection.BaseUriSource | Should -Be 'Connect-Seedream'
            $connection.ApiKeySource | Should -Be 'Connect-Seedream'

            $null = New-SeedreamImage -Prompt p
            $request = Get-LastRequest
            $request.path | Should -Be '/api/v3/images/generations'
            $request.authorization | Should -Be 'ok'
        }

        It 'takes parameters over Connect-Seedream' {
            Connect-Seedream -ApiKey 'wrong-key' -BaseUri $Fake.ApiV3
            $connection = Get-SeedreamConnection -ApiKey $Fake.ApiKey -BaseUri $Fake.ApiV1 -Provider APIYI
            $connection.BaseUri | Should -Be $Fake.ApiV1
            $connection.BaseUriSource | Should -Be 'Parameter'
            $connection.ApiKeySource | Should -Be 'Parameter'

            $null = New-SeedreamImage -Prompt p -ApiKey $Fake.ApiKey -BaseUri $Fake.ApiV1
            $request = Get-LastRequest
            $request.path | Should -Be '/v1/images/generations'
            $request.authorization | Should -Be 'ok'
        }

        It 'uses the connected key: a wrong connected key beats a right environment key' {
            Connect-Seedream -ApiKey 'wrong-key'
            $null = Get-Refusal { New-SeedreamImage -Prompt p }
            (Get-LastRequest).authorization | Should -Be 'wrong'
        }

        It 'keeps a connection''s key and base URI to its own provider' {
            Connect-Seedream -Provider BytePlus -ApiKey 'wrong-key' -BaseUri $Fake.ApiV3
            $connection = Get-SeedreamConnection -Provider APIYI
            $connection.ApiKeySource | Should -Be 'Environment:SEEDREAM_API_KEY'
            $connection.BaseUriSource | Should -Be 'Environment:SEEDREAM_BASE_URI'
        }

        It 'takes a SecureString key as well as a plain one' {
            $secure = ConvertTo-SecureString $Fake.ApiKey -AsPlainText -Force
            $env:SEEDREAM_API_KEY = 'wrong-key'
            Connect-Seedream -ApiKey $secure
            $null = New-SeedreamImage -Prompt p
            (Get-LastRequest).authorization | Should -Be 'ok'
        }

        It 'Disconnect-Seedream clears the connection' {
            Connect-Seedream -Provider Volcengine -ApiKey $Secret -BaseUri $Fake.ApiVolcengine
            (Get-SeedreamConnection).Provider | Should -Be 'Volcengine'
            Disconnect-Seedream
            $connection = Get-SeedreamConnection
            $connection.Provider | Should -Be 'APIYI'
            $connection.BaseUriSource | Should -Be 'Environment:SEEDREAM_BASE_URI'
            $connection.ApiKeySource | Should -Be 'Environment:SEEDREAM_API_KEY'
        }

        It 'does not store a connection whose base URI would send the key in clear text' {
            Connect-Seedream -Provider BytePlus -BaseUri $Fake.ApiBytePlus
            $refusal = Get-Refusal { Connect-Seedream -Provider Volcengine -BaseUri 'http://example.com/api/v3' }
            $refusal.FullyQualifiedErrorId | Should -BeLike 'Seedream.InsecureBaseUri,*'
            $refusal.Exception.Message | Should -Match 'Parameter -BaseUri: .* is plain http to another machine; use https'
            (Get-SeedreamConnection).Provider | Should -Be 'BytePlus'
        }

        It 'names the variable when SEEDREAM_BASE_URI is not a URI' {
            $env:SEEDREAM_BASE_URI = 'not a uri'
            $refusal = Get-Refusal { New-SeedreamImage -Prompt p }
            $refusal.FullyQualifiedErrorId | Should -BeLike 'Seedream.InvalidParameter,*'
            $refusal.Exception.Message | Should -Match 'Parameter -BaseUri: \$env:SEEDREAM_BASE_URI does not hold an absolute URI'
            @(Get-FakeRequest $Fake) | Should -HaveCount 0
        }
    }

    Context 'Nothing prompts, and the key never shows' {
        It 'stops with Seedream.NoApiKey (no prompt, no request) when there is no key anywhere' {
            Remove-Item Env:SEEDREAM_API_KEY
            $refusal = Get-Refusal { New-SeedreamImage -Prompt p }
            $refusal.FullyQualifiedErrorId | Should -BeLike 'Seedream.NoApiKey,*'
            $refusal.Exception.Message | Should -Match 'No API key for APIYI: pass -ApiKey, run Connect-Seedream -ApiKey, or set \$env:SEEDREAM_API_KEY\. Nothing prompts'
            @(Get-FakeRequest $Fake) | Should -HaveCount 0
        }

        It 'runs without a console: a non-interactive pwsh with no key fails instead of waiting for input' {
            $module = Join-Path (Split-Path (Get-Module Seedream).Path) 'Seedream.psd1'
            $script = "Import-Module '$module'; try { New-SeedreamImage -Prompt p -BaseUri '$($Fake.ApiV1)' -ErrorAction Stop } catch { `$_.FullyQualifiedErrorId }"
            # Under 'dotnet pwsh' the process is dotnet and PowerShell is pwsh.dll in $PSHOME (as in build.ps1).
            $pwsh = [Environment]::ProcessPath
            [string[]] $pwshArgs = if ((Split-Path $pwsh -Leaf) -like 'dotnet*') { Join-Path $PSHOME 'pwsh.dll' } else { @() }
            $env:SEEDREAM_API_KEY = ''
            $output = '' | & $pwsh @pwshArgs -NoProfile -NonInteractive -Command $script
            $output | Should -BeLike 'Seedream.NoApiKey,*'
        }

        It 'Connect-Seedream without a key warns instead of prompting' {
            Remove-Item Env:SEEDREAM_API_KEY
            Connect-Seedream -WarningVariable warnings -WarningAction SilentlyContinue
            "$warnings" | Should -Match 'No API key yet'
        }

        It 'never shows the key: <View>' -ForEach @(
            @{ View = 'default view'; Render = { Get-SeedreamConnection | Out-String -Width 400 } }
            @{ View = 'Format-List *'; Render = { Get-SeedreamConnection | Format-List * | Out-String -Width 400 } }
            @{ View = 'Format-Table *'; Render = { Get-SeedreamConnection | Format-Table * | Out-String -Width 400 } }
            @{ View = 'ConvertTo-Json'; Render = { Get-SeedreamConnection | ConvertTo-Json -Depth 6 } }
            @{ View = 'ToString'; Render = { "$(Get-SeedreamConnection)" } }
            @{ View = 'Connect-Seedream -PassThru -Verbose'; Render = { Connect-Seedream -ApiKey $Secret -PassThru -Verbose 4>&1 | Out-String -Width 400 } }
            @{ View = 'New-SeedreamImage -Verbose -Debug (answered 401)'; Render = {
                    $records = [System.Collections.Generic.List[object]]::new()
                    try { New-SeedreamImage -Prompt p -Verbose -Debug 4>&1 5>&1 | ForEach-Object { $records.Add($_) } } catch { $records.Add($_) }
                    $records | Out-String -Width 400 } }
            @{ View = 'New-SeedreamImage -WhatIf (transcript)'; Render = {
                    $transcript = Join-Path ([System.IO.Path]::GetTempPath()) ("seedream-whatif-" + [guid]::NewGuid().ToString('N') + '.txt')
                    $null = Start-Transcript -Path $transcript
                    try { New-SeedreamImage -Prompt p -WhatIf } finally { $null = Stop-Transcript }
                    Get-Content $transcript -Raw | Where-Object { $_ -match 'What if' }
                    Remove-Item $transcript } }
            @{ View = 'the error of a wrong key'; Render = { try { New-SeedreamImage -Prompt p -BaseUri $Fake.ApiV1 -ApiKey "$Secret-x" } catch { $_ | Out-String -Width 400; $_.Exception.Message } } }
        ) {
            Connect-Seedream -ApiKey $Secret -BaseUri $Fake.ApiV1
            $connection = Get-SeedreamConnection
            $connection.ApiKeySource | Should -Be 'Connect-Seedream'
            $connection.PSObject.Properties.Name | Should -Not -Contain 'ApiKey'
            $text = (& $Render) -join "`n"
            $text | Should -Not -BeNullOrEmpty
            $text | Should -Not -Match 'very-secret'
        }
    }

    Context 'Get-SeedreamModel' {
        It 'lists every family as typed objects' {
            $models = Get-SeedreamModel
            $models | Should -HaveCount 6
            $models[0].GetType().FullName | Should -Be 'Seedream.Commands.SeedreamModelInfo'
            $models.Family | Should -Be @('5.5', '5.0-pro', '5.0-flash', '5.0-lite', '4.5', '4.0')
            $models.Id | Should -Be @('seedream-5-5-261028', 'seedream-5-0-pro-260628', 'seedream-5-0-flash-260915', 'seedream-5-0-260128', 'seedream-4-5-251128', 'seedream-4-0-250828')
            $models.Status | Select-Object -Unique | Should -Be 'Live'
        }

        It 'describes 5.0-pro as the contract does, with its price rule on each provider' {
            $model = Get-SeedreamModel pro
            $model.Id | Should -Be 'seedream-5-0-pro-260628'
            $model.Names | Should -Be @('5.0-pro', 'pro')
            $model.SizeTiers | Should -Be @('1K', '2K')
            $model.MaxPixels | Should -Be 4194304
            $model.OutputFormats | Should -Be @('jpeg', 'png')
            $model.PromptOptimizationModes | Should -Be @('standard', 'fast')
            $model.ThinkingModes | Should -Be @('enabled', 'disabled')
            $model.BackgroundModes | Should -Be @('auto', 'transparent', 'opaque')
            $model.MaxLayers | Should -Be 16
            $model.SupportsStreaming | Should -BeFalse
            $model.SupportsSequence | Should -BeFalse
            $model.MaxImagesPerRequest | Should -Be 1
            $model.ReferenceImageFormats | Should -Contain 'heic'
            $model.MaxReferenceImageBytes | Should -Be 31457280
            $model.SuggestedTimeoutSec | Should -Be 240
            $model.Price | Should -Be '$0.12/request'
            "$($model.PriceRule)" | Should -Be '$0.12 a request (references included)'
            $model.PricePerImage | Should -Be 0.12
            $onBytePlus = Get-SeedreamModel pro -Provider BytePlus
            $onBytePlus.Id | Should -Be 'dola-seedream-5-0-pro-260628'
            $onBytePlus.Price | Should -Be '$0.045-0.09 +$0.003/ref>1'
            "$($onBytePlus.PriceRule)" | Should -Be '$0.045 an image up to 2,359,296 px, $0.09 above; + $0.003 per reference from the second'
            $onBytePlus.PricePerImage | Should -Be 0.09
        }

        It 'shows the retirements on Volcengine' {
            $models = Get-SeedreamModel -Provider Volcengine
            ($models | Where-Object Family -EQ '5.0-lite').Status | Should -Be 'Retired'
            ($models | Where-Object Family -EQ '5.0-lite').StatusDate | Should -Be ([DateTimeOffset]'2026-11-24T14:00:00+08:00')
            ($models | Where-Object Family -EQ '4.5').Status | Should -Be 'Retiring'
            ($models | Where-Object Family -EQ '5.5').Status | Should -Be 'Live'
        }

        It 'describes 4.0 as the contract does' {
            $model = Get-SeedreamModel 4.0
            $model.SizeTiers | Should -Be @('1K', '2K', '4K')
            $model.MinPixels | Should -Be 921600
            $model.MaxPixels | Should -Be 16777216
            $model.MinAspectRatio | Should -Be (1 / 16)
            $model.MaxAspectRatio | Should -Be 16
            $model.OutputFormats | Should -Be @('jpeg')
            $model.PromptOptimizationModes | Should -Be @('standard', 'fast')
            $model.SupportsStreaming | Should -BeTrue
            $model.SupportsSequence | Should -BeTrue
            $model.MaxImagesPerRequest | Should -Be 15
            $model.PricePerImage | Should -Be 0.03
            $model.RecommendedSizes | Should -Contain '2048x2048'
            $model.RecommendedSizes | Should -Contain '6240x2656'
        }

        It 'describes 5.0-lite with its alias, png and its tiers' {
            $model = Get-SeedreamModel 5.0-lite
            $model.Id | Should -Be 'seedream-5-0-260128'
            $model.Aliases | Should -Be @('seedream-5-0-lite-260128')
            $model.OutputFormats | Should -Be @('jpeg', 'png')
            $model.SizeTiers | Should -Be @('2K', '3K')
            $model.MaxPixels | Should -Be 10404496
            $model.PricePerImage | Should -Be 0.035
        }

        It 'finds by wildcard, by id and by alias' {
            (Get-SeedreamModel -Name '4*').Family | Should -Be @('4.5', '4.0')
            (Get-SeedreamModel -Name 'FLASH').Family | Should -Be '5.0-flash'
            (Get-SeedreamModel -Name 'dola-seedream-5-5-261028').Id | Should -Be 'seedream-5-5-261028'
            (Get-SeedreamModel -Name 'seedream-4-5-251128').Family | Should -Be '4.5'
            (Get-SeedreamModel -Name 'seedream-5-0-lite-260128').Family | Should -Be '5.0-lite'
            (Get-SeedreamModel -Name '*lite*').Family | Should -Be '5.0-lite'
            ('4.5', '4.0' | Get-SeedreamModel).Family | Should -Be @('4.5', '4.0')
        }

        It 'names the models as -Provider does, with its reference limit' {
            $models = Get-SeedreamModel -Provider Volcengine
            $models.Id | Should -Be @('doubao-seedream-5-5-261028', 'doubao-seedream-5-0-pro-260628', 'doubao-seedream-5-0-flash-260915', 'doubao-seedream-5-0-260128', 'doubao-seedream-4-5-251128', 'doubao-seedream-4-0-250828')
            $models.Provider | Select-Object -Unique | Should -Be 'Volcengine'
            $models.MaxReferenceImages | Should -Be @(10, 10, 10, 14, 14, 14)
            (Get-SeedreamModel -Provider APIYI).MaxReferenceImages | Select-Object -Unique | Should -Be 10
            (Get-SeedreamModel -Provider BytePlus).Id | Should -Be @('dola-seedream-5-5-261028', 'dola-seedream-5-0-pro-260628', 'dola-seedream-5-0-flash-260915', 'seedream-5-0-260128', 'seedream-4-5-251128', 'seedream-4-0-250828')
            (Get-SeedreamModel 'doubao-seedream-4-5*' -Provider Volcengine).Family | Should -Be '4.5'
        }

        It 'follows the connected provider' {
            Connect-Seedream -Provider Volcengine -BaseUri $Fake.ApiVolcengine
            (Get-SeedreamModel 4.5).Id | Should -Be 'doubao-seedream-4-5-251128'
        }

        It 'writes a non-terminating error for a name that matches nothing, and nothing for a wildcard' {
            $found = Get-SeedreamModel -Name 'nope', '4.5' -ErrorVariable problems -ErrorAction SilentlyContinue
            $found.Family | Should -Be '4.5'
            $problems | Should -HaveCount 1
            $problems[0].FullyQualifiedErrorId | Should -BeLike 'Seedream.ModelNotInCatalog,*'
            "$($problems[0])" | Should -Match "No model 'nope' in the catalog for APIYI. Known: 5.5, 5.0-pro, 5.0-flash, 5.0-lite, 4.5, 4.0"
            Get-SeedreamModel -Name 'nope*' -ErrorVariable none -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            $none | Should -HaveCount 0
        }

        It 'refuses an unknown provider' {
            $refusal = Get-Refusal { Get-SeedreamModel -Provider Nowhere }
            $refusal.FullyQualifiedErrorId | Should -BeLike 'Seedream.InvalidParameter,*'
            $refusal.Exception.Message | Should -Match "Parameter -Provider: 'Nowhere' is not a known provider; use one of APIYI, BytePlus, Volcengine"
        }

        It 'has a readable default view with family, id, tiers and price' {
            $text = Get-SeedreamModel | Out-String -Width 200
            $text | Should -Match 'Family'
            $text | Should -Match 'Id'
            foreach ($row in @(@('5.0-lite', 'seedream-5-0-260128'), @('4.5', 'seedream-4-5-251128'), @('4.0', 'seedream-4-0-250828'))) {
                $text | Should -Match ("(?m)^\s*{0}\s+{1}\s" -f [regex]::Escape($row[0]), [regex]::Escape($row[1]))
            }
            $text | Should -Match '0\.035'
            $text | Should -Not -Match 'Seedream.Commands.SeedreamModelInfo'
        }
    }
}
