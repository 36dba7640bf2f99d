# The catalog is data: a user's catalog file ($env:SEEDREAM_CATALOG or Connect-Seedream -CatalogPath) adds models, changes
# figures and maps endpoint ids, and what it describes is checked and priced like a shipped model; a bad file is an error that
# names the file, the entry and the field, before any request. The module's own catalog.json ships in the module folder and is
# not read at import.
Describe 'Catalog' {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'TestSetup.ps1')
        $script:Folder = Join-Path ([IO.Path]::GetTempPath()) "seedream-catalog-$([guid]::NewGuid().ToString('N'))"
        $null = New-Item -ItemType Directory -Path $Folder
        function New-CatalogFile([string] $Name, [string] $Json) {
            $path = Join-Path $Folder $Name
            Set-Content -LiteralPath $path -Value $Json -Encoding utf8
            $path
        }

        # tomorrow's model, described before the module knows it, and a BytePlus endpoint of 5.5
        $script:Tomorrow = New-CatalogFile 'tomorrow.json' @'
{
  // Seedream 5.6, as its release notes describe it: 5.5's rules, with a 3K tier and without 1.5K (null removes), its own ids and prices.
  "models": [
    { "family": "5.6", "basedOn": "5.5", "released": "2027-01",
      "sizes": { "tiers": { "1.5K": null, "3K": "3072x3072" }, "maxPixels": 9437184 },
      "providers": {
        "APIYI": { "ids": ["seedream-5-6-270115"], "maxReferences": 10, "price": { "perImage": 0.05 } },
        "BytePlus": { "ids": ["dola-seedream-5-6-270115"], "maxReferences": 10, "price": { "perImage": 0.05, "perReference": 0.01 } }
      } }
  ],
  "endpoints": [ { "id": "ep-20261201090000-s55aa", "provider": "BytePlus", "model": "5.5", "note": "our production endpoint" } ]
}
'@
        $script:Cheaper = New-CatalogFile 'cheaper.json' '{ "models": [ { "family": "4.0", "providers": { "APIYI": { "price": { "perImage": 0.025 } } } } ] }'
        $script:Broken = New-CatalogFile 'broken.json' '{ "models": [ { "family": "4.5", "sizes": { "minPixels": "lots" } } ] }'
        $script:NotJson = New-CatalogFile 'not-json.json' "{ `"models`": [`n  { `"family`": `"4.5`" `n]"
    }
    AfterAll {
        Remove-Item Env:SEEDREAM_CATALOG -ErrorAction SilentlyContinue
        Remove-Item $Folder -Recurse -Force -ErrorAction SilentlyContinue
        . (Join-Path $PSScriptRoot 'TestTeardown.ps1')
    }
    BeforeEach {
        Reset-FakeSeedreamApi $Fake
        Disconnect-Seedream
        Remove-Item Env:SEEDREAM_CATALOG -ErrorAction SilentlyContinue
    }

    Context 'The shipped catalog' {
        It 'ships catalog.json beside Seedream.dll' {
            $moduleFolder = (Get-Module Seedream).ModuleBase
            $file = Join-Path $moduleFolder 'catalog.json'
            $file | Should -Exist
            [Seedream.Catalog.ModelCatalog]::ShippedPath | Should -Be $file
            (Get-Content $file -Raw | ConvertFrom-Json).models.family | Should -Be @('5.5', '5.0-pro', '5.0-flash', '5.0-lite', '4.5', '4.0')
        }

        It 'is not read at import: a broken user catalog does not stop Import-Module, only the first command that needs it' {
            $script = "`$env:SEEDREAM_CATALOG = '$Broken'; Import-Module '$((Get-Module Seedream).ModuleBase)'; 'imported'; " +
                'try { Get-SeedreamModel -ErrorAction Stop } catch { $_.FullyQualifiedErrorId }'
            $exe = [Environment]::ProcessPath
            $arguments = @(if ((Split-Path $exe -Leaf) -like 'dotnet*') { Join-Path $PSHOME 'pwsh.dll' }) + @('-NoProfile', '-NonInteractive', '-Command', $script)
            $output = & $exe @arguments 2>&1 | ForEach-Object { "$_" }
            $output[0] | Should -Be 'imported'
            $output[1] | Should -BeLike 'Seedream.InvalidCatalog,*'
        }
    }

    Context 'A user catalog through $env:SEEDREAM_CATALOG' {
        It 'adds tomorrow''s model: listed, its sizes checked before any request, its price in -WhatIf' {
            $env:SEEDREAM_CATALOG = $Tomorrow
            $model = Get-SeedreamModel 5.6
            $model.Id | Should -Be 'seedream-5-6-270115'
            $model.SizeTiers | Should -Be @('1K', '2K', '3K')
            $model.SupportsSequence | Should -BeFalse
            $model.Source | Should -Be $Tomorrow
            (Get-SeedreamModel 5.6 -Provider BytePlus).Id | Should -Be 'dola-seedream-5-6-270115'
            Get-SeedreamModel 5.6 -Provider Volcengine -ErrorAction SilentlyContinue -ErrorVariable missing | Should -BeNullOrEmpty
            "$missing" | Should -Match "Model '5.6' \(5.6\) is not offered on Volcengine; it is on APIYI, BytePlus\."

            $refusal = Get-Refusal { New-SeedreamImage -Prompt p -Model 5.6 -Size 4K }
            $refusal.Exception.Message | Should -Match "Parameter -Size: '4K' is not a tier of model seedream-5-6-270115 \(5\.6\); it offers 1K, 2K, 3K"
            $refusal = Get-Refusal { New-SeedreamImage -Prompt p -Model 5.6 -MaxImages 2 }
            $refusal.Exception.Message | Should -Match 'seedream-5-6-270115 \(5\.6\) makes one image a request'
            @(Get-FakeRequest $Fake) | Should -HaveCount 0
        }

        It 'prices tomorrow''s model in -WhatIf from its own rule' {
            $script = "`$env:SEEDREAM_CATALOG = '$Tomorrow'; Import-Module '$((Get-Module Seedream).ModuleBase)'; " +
                "Connect-Seedream -Provider BytePlus -BaseUri '$($Fake.ApiBytePlus)'; " +
                "Edit-SeedreamImage -Prompt p -Model 5.6 -Size 3K -Image https://img.example/a.png,https://img.example/b.png -WhatIf"
            $exe = [Environment]::ProcessPath
            $arguments = @(if ((Split-Path $exe -Leaf) -like 'dotnet*') { Join-Path $PSHOME 'pwsh.dll' }) + @('-NoProfile', '-NonInteractive', '-Command', $script)
            $text = (& $exe @arguments 2>&1 | ForEach-Object { "$_" }) -join "`n"
            $text | Should -Match 'Fusion with dola-seedream-5-6-270115 on BytePlus: 2 reference image\(s\), up to 1 billed image\(s\), estimated cost up to \$0\.07 at list price: 1 image\(s\) x \$0\.05 \+ 2 reference\(s\) x \$0\.01'
            @(Get-FakeRequest $Fake) | Should -HaveCount 0
        }

        It 'sends tomorrow''s model with its own id and only the fields it takes' {
            $env:SEEDREAM_CATALOG = $Tomorrow
            # The fake does not know 5.6 yet (a real provider would, once it ships): the 404 shows the request that went out.
            $refusal = Get-Refusal { New-SeedreamImage -Prompt p -Model 5.6 -Size 3k }
            $refusal.FullyQualifiedErrorId | Should -BeLike 'Seedream.ModelNotFound,*'
            $body = @(Get-FakeRequest $Fake -Target generate)[0].body
            $body | ConvertTo-Json -Compress | Should -BeExactly '{"model":"seedream-5-6-270115","prompt":"p","size":"3K","response_format":"url","watermark":false}'
        }

        It 'maps a BytePlus endpoint id to 5.5: its rules, its price and its wire form apply' {
            $env:SEEDREAM_CATALOG = $Tomorrow
            Connect-Seedream -Provider BytePlus -BaseUri $Fake.ApiBytePlus
            $verbose = New-SeedreamImage -Prompt p -Model 'ep-20261201090000-s55aa' -Size 1K -Verbose -WarningVariable warnings 4>&1 |
                Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
            $warnings | Should -BeNullOrEmpty -Because 'a mapped endpoint is not an unknown model'
            ($verbose.Message -join "`n") | Should -Match "-Model 'ep-20261201090000-s55aa' is an endpoint of 5\.5 on BytePlus"
            $request = @(Get-FakeRequest $Fake -Target generate)
            $request[0].status | Should -Be 200
            $request[0].body | ConvertTo-Json -Compress | Should -BeExactly '{"model":"ep-20261201090000-s55aa","prompt":"p","size":"1K","response_format":"url","watermark":false}'

            $refusal = Get-Refusal { New-SeedreamImage -Prompt p -Model 'ep-20261201090000-s55aa' -Stream }
            $refusal.Exception.Message | Should -Match 'Parameter -Stream: model ep-20261201090000-s55aa \(5\.5\) does not stream'
            @(Get-FakeRequest $Fake -Target generate) | Should -HaveCount 1

            $image = Edit-SeedreamImage -Prompt p -Model 'ep-20261201090000-s55aa' -Image https://img.example/a.png
            $image.Cost | Should -Be 0.043

            $listed = Get-SeedreamModel -Name 'ep-*'
            $listed.Id | Should -Be 'ep-20261201090000-s55aa'
            $listed.Family | Should -Be '5.5'
            $listed.IsEndpoint | Should -BeTrue
        }

        It 'without the mapping, the same endpoint id is an unknown model, sent with only the fields set' {
            Connect-Seedream -Provider BytePlus -BaseUri $Fake.ApiBytePlus
            $null = New-SeedreamImage -Prompt p -Model 'ep-20261201090000-s55aa' -WarningVariable warnings -WarningAction SilentlyContinue
            "$warnings" | Should -Match "Model 'ep-20261201090000-s55aa' is not in the module's catalog for BytePlus"
            @(Get-FakeRequest $Fake -Target generate)[0].status | Should -Be 200
        }

        It 'changes a shipped model''s figures: 4.0 at $0.025 on APIYI' {
            $env:SEEDREAM_CATALOG = $Cheaper
            (Get-SeedreamModel 4.0).PricePerImage | Should -Be 0.025
            (Get-SeedreamModel 4.0 -Provider BytePlus).PricePerImage | Should -Be 0.03
            (New-SeedreamImage -Prompt p -Model 4.0 -MaxImages 2).Cost | Should -Be @(0.025, 0.025)
        }

        It 'stops at a bad file with an error naming the file, the entry and the field, before any request' {
            $env:SEEDREAM_CATALOG = $Broken
            $refusal = Get-Refusal { New-SeedreamImage -Prompt p }
            $refusal.FullyQualifiedErrorId | Should -BeLike 'Seedream.InvalidCatalog,*'
            $refusal.Exception.Message | Should -Be "Catalog file '$Broken', model '4.5' (models[0]), field 'sizes.minPixels': must be a whole number; got `"lots`"."
            $refusal.TargetObject | Should -Be $Broken
            @(Get-FakeRequest $Fake) | Should -HaveCount 0

            $env:SEEDREAM_CATALOG = $NotJson
            $refusal = Get-Refusal { Get-SeedreamModel }
            $refusal.Exception.Message | Should -Match "^Catalog file '$([regex]::Escape($NotJson))', the file: is not valid JSON at line 3"

            $env:SEEDREAM_CATALOG = Join-Path $Folder 'missing.json'
            (Get-Refusal { New-SeedreamImage -Prompt p }).Exception.Message | Should -Match 'missing\.json'', the file: does not exist\.'
            @(Get-FakeRequest $Fake) | Should -HaveCount 0
        }

        It 'completes the added model and the endpoint' {
            $env:SEEDREAM_CATALOG = $Tomorrow
            $line = 'New-SeedreamImage -Provider BytePlus -Model '
            $offered = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText
            $offered | Should -Contain 'dola-seedream-5-6-270115'
            $offered | Should -Contain 'ep-20261201090000-s55aa'
            $env:SEEDREAM_CATALOG = $Broken
            (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Contain 'dola-seedream-5-5-261028' -Because 'completion falls back to the module''s catalog'
        }
    }

    Context 'Connect-Seedream -CatalogPath' {
        It 'checks the file, keeps it for the session over the environment, and shows it in the connection' {
            $env:SEEDREAM_CATALOG = $Cheaper
            Push-Location $Folder
            try { Connect-Seedream -CatalogPath ./tomorrow.json }
            finally { Pop-Location }
            $connection = Get-SeedreamConnection
            $connection.CatalogPath | Should -Be $Tomorrow
            $connection.CatalogSource | Should -Be 'Connect-Seedream'
            (Get-SeedreamModel 5.6).Family | Should -Be '5.6'
            (Get-SeedreamModel 4.0).PricePerImage | Should -Be 0.03 -Because 'the connected catalog replaces the one the environment names'

            Disconnect-Seedream
            (Get-SeedreamConnection).CatalogSource | Should -Be 'Environment:SEEDREAM_CATALOG'
            Remove-Item Env:SEEDREAM_CATALOG
            $connection = Get-SeedreamConnection
            $connection.CatalogPath | Should -BeNullOrEmpty
            $connection.CatalogSource | Should -Be 'None'
        }

        It 'refuses a bad file, naming -CatalogPath, the file, the entry and the field, and stores nothing' {
            Connect-Seedream -Provider BytePlus
            $refusal = Get-Refusal { Connect-Seedream -CatalogPath $Broken }
            $refusal.FullyQualifiedErrorId | Should -BeLike 'Seedream.InvalidCatalog,*'
            $refusal.Exception.Message | Should -Be "Parameter -CatalogPath: Catalog file '$Broken', model '4.5' (models[0]), field 'sizes.minPixels': must be a whole number; got `"lots`"."
            (Get-SeedreamConnection).Provider | Should -Be 'BytePlus' -Because 'the earlier connection stays'
            (Get-SeedreamConnection).CatalogPath | Should -BeNullOrEmpty
        }
    }
    Context 'Get-SeedreamModel -Online: the catalog beside the provider''s own listing' {
        It 'shows Volcengine''s live, retiring and shut-down models beside the catalog, and what the catalog does not know' {
            Connect-Seedream -Provider Volcengine -BaseUri $Fake.ApiVolcengine
            $rows = Get-SeedreamModel -Online
            $requests = @(Get-FakeRequest $Fake)
            $requests | Should -HaveCount 1
            $requests[0].target | Should -Be 'models'
            $requests[0].method | Should -Be 'GET'
            $requests[0].path | Should -Be '/volcengine/api/v3/models'
            $requests[0].authorization | Should -Be 'ok'

            $rows[0].GetType().FullName | Should -Be 'Seedream.Commands.SeedreamModelStatus'
            $table = $rows | ForEach-Object { '{0}|{1}|{2}|{3}|{4}' -f $_.Id, $_.Family, $_.CatalogStatus, $_.ProviderStatus, $_.Agrees }
            $table | Should -Be @(
                'doubao-seedream-5-5-261028|5.5|Live|Live|True'
                'doubao-seedream-5-0-pro-260628|5.0-pro|Live|Live|True'
                'doubao-seedream-5-0-flash-260915|5.0-flash|Live|Live|True'
                'doubao-seedream-5-0-260128|5.0-lite|Retired|Shutdown|True'
                'doubao-seedream-4-5-251128|4.5|Retiring|Retiring|True'
                'doubao-seedream-4-0-250828|4.0|Retiring|Retiring|True'
                'doubao-seedance-1-0-pro-250528||NotInCatalog|Live|False'
                'doubao-seedream-3-0-t2i-250415||NotInCatalog|Shutdown|False'
            )
            $rows[6].Note | Should -Be 'not in the catalog (VideoGeneration); a user catalog can describe it'
            $rows[6].Created | Should -Be ([DateTimeOffset]::FromUnixTimeSeconds(1764547200))
        }

        It 'says where the catalog and BytePlus disagree, and narrows to -Name' {
            $stale = New-CatalogFile 'stale.json' '{ "models": [ { "family": "5.5", "providers": { "BytePlus": { "status": { "state": "retiring", "date": "2027-06-01" } } } } ] }'
            $env:SEEDREAM_CATALOG = $stale
            Connect-Seedream -Provider BytePlus -BaseUri $Fake.ApiBytePlus
            $row = Get-SeedreamModel -Online -Name 5.5
            $row | Should -HaveCount 1
            $row.Id | Should -Be 'dola-seedream-5-5-261028'
            $row.CatalogStatus | Should -Be 'Retiring'
            $row.ProviderStatus | Should -Be 'Live'
            $row.Agrees | Should -BeFalse
            $row.Note | Should -Be 'the catalog has it retiring, but BytePlus lists it Live'
            (Get-SeedreamModel -Online -Name 'seedream-3*').ProviderStatus | Should -Be 'Shutdown'
            $lite = Get-SeedreamModel -Online -Name lite
            $lite.Id | Should -Be 'seedream-5-0-260128' -Because 'the listing has the main id, not the alias'
            $lite.Agrees | Should -BeTrue
        }

        It 'looks nice in 80 columns' {
            Connect-Seedream -Provider Volcengine -BaseUri $Fake.ApiVolcengine
            $text = Get-SeedreamModel -Online | Out-String -Width 80
            $text | Should -Match '(?m)^Id\s+Family\s+Catalog\s+Provider\s+Note\s*$'
            $text | Should -Match '(?m)^doubao-seedream-5-0-260128\s+5\.0-lite\s+Retired\s+Shutdown\s+switched off'
            ($text -split "`r?`n" | Where-Object { $_.Length -gt 80 }) | Should -BeNullOrEmpty
        }

        It 'refuses on APIYI, which has no listing, without a request' {
            $refusal = Get-Refusal { Get-SeedreamModel -Online }
            $refusal.FullyQualifiedErrorId | Should -BeLike 'Seedream.NoModelListing,*'
            $refusal.Exception.Message | Should -Match '^APIYI has no model listing \(GET \{base\}/models\).*Listings: BytePlus, Volcengine, Simulator\.$'
            @(Get-FakeRequest $Fake) | Should -HaveCount 0
        }

        It 'reports a wrong key and a server error as what they are' {
            Connect-Seedream -Provider BytePlus -BaseUri $Fake.ApiBytePlus -ApiKey 'wrong-key'
            (Get-Refusal { Get-SeedreamModel -Online }).FullyQualifiedErrorId | Should -BeLike 'Seedream.Authentication,*'
            Connect-Seedream -Provider BytePlus -BaseUri $Fake.ApiBytePlus
            Add-FakeFault $Fake @{ target = 'models'; status = 500 }
            $failure = $null
            $rows = Get-SeedreamModel -Online -ErrorVariable failure -ErrorAction SilentlyContinue
            $rows | Should -BeNullOrEmpty
            $failure[0].FullyQualifiedErrorId | Should -BeLike 'Seedream.ServerError,*'
            "$($failure[0])" | Should -Match 'InternalServiceError \(HTTP 500\)'
            @(Get-FakeRequest $Fake -Target models) | Should -HaveCount 2 -Because 'the listing is asked once a call, without retries'
        }

        It 'needs a key, as a request does' {
            Remove-Item Env:SEEDREAM_API_KEY
            try {
                Connect-Seedream -Provider BytePlus -BaseUri $Fake.ApiBytePlus -WarningAction SilentlyContinue
                (Get-Refusal { Get-SeedreamModel -Online }).FullyQualifiedErrorId | Should -BeLike 'Seedream.NoApiKey*'
                (Get-SeedreamModel).Count | Should -Be 6 -Because 'the catalog alone needs no key'
            }
            finally { $env:SEEDREAM_API_KEY = $Fake.ApiKey }
            @(Get-FakeRequest $Fake) | Should -HaveCount 0
        }
    }
}
