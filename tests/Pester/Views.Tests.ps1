# The default views: results as a table and a list (never base64), the catalog and the connection.
Describe 'Views' {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'TestSetup.ps1')
        function Format-Text { param([Parameter(ValueFromPipeline)] $InputObject, [string] $As = 'Table')
            begin { $items = [System.Collections.Generic.List[object]]::new() }
            process { $items.Add($InputObject) }
            end { if ($As -eq 'Default') { $items | Out-String -Width 250 } else { $items | & "Format-$As" | Out-String -Width 250 } }
        }
    }
    AfterAll { . (Join-Path $PSScriptRoot 'TestTeardown.ps1') }
    BeforeEach { Reset-FakeSeedreamApi $Fake }

    Describe 'Results' {
        It 'show as a table by default: index, size, model family, mode, time left and a shortened URL' {
            $images = New-SeedreamImage -Prompt 'two foxes' -MaxImages 2
            $text = $images | Format-Text -As Default
            $header = ($text -split "`n" | Where-Object { $_ -match '\S' })[0]
            $header | Should -Match '^\s*Index\s+Size\s+Model\s+Mode\s+TimeLeft\s+Url\s*$'
            $rows = @($text -split "`n" | Where-Object { $_ -match '\s5\.0-lite\s' })
            $rows | Should -HaveCount 2
            $rows[0] | Should -Match '^\s*0\s+\d+x\d+\s+5\.0-lite\s+Sequence\s+2[34]h\d\dm\s'
            $rows[1] | Should -Match '^\s*1\s'
            $uri = [Uri]$images[0].Url
            $rows[0] | Should -Match ([regex]::Escape($uri.Host))
            if ($uri.Query) { $rows[0] | Should -Not -Match ([regex]::Escape($uri.Query)) }
        }

        It 'shortens a long URL path and drops its signed query string' {
            $image = [Seedream.SeedreamImage]@{
                Index = 3; Size = '2048x2048'; Model = 'seedream-4-5-251128'; Created = [DateTimeOffset]::UtcNow
                ExpiresAt = [DateTimeOffset]::UtcNow.AddHours(5).AddMinutes(30)
                Url = 'https://cdn.example.com/a/very/long/path/that/goes/on/and/on/image-000123.jpeg?X-Signature=abcdef0123456789&Expires=1'
            }
            $text = $image | Format-Text
            $text | Should -Match 'cdn\.example\.com/\.\.\.'
            $text | Should -Match 'ge-000123\.jpeg' -Because 'the end of the path (the file name) is kept'
            $text | Should -Not -Match 'X-Signature'
            $text | Should -Match '\b5h(29|30)m\b'
        }

        It 'says expired for a URL past its 24 hours' {
            $image = [Seedream.SeedreamImage]@{ Index = 0; Model = 'm'; Url = 'https://cdn.example.com/x.jpeg'; Created = [DateTimeOffset]::UtcNow.AddDays(-2); ExpiresAt = [DateTimeOffset]::UtcNow.AddDays(-1) }
            $image | Format-Text | Should -Match '\bexpired\b'
            $image | Format-Text -As List | Should -Match 'TimeLeft\s*:\s*expired'
        }

        It 'never shows base64 for inline images, in the table, the list or the default output' {
            $image = New-SeedreamImage -Prompt 'an inline fox' -ResponseFormat Base64Json
            $image.ImageBytes.Length | Should -BeGreaterThan 0
            $base64 = [Convert]::ToBase64String($image.ImageBytes)
            $probe = $base64.Substring(0, [Math]::Min(24, $base64.Length))
            foreach ($as in 'Default', 'Table', 'List') {
                $text = $image | Format-Text -As $as
                $text | Should -Not -Match ([regex]::Escape($probe)) -Because "the $as view must not show the bytes"
                $text | Should -Match ([regex]::Escape(('({0:N0} bytes inline)' -f $image.ImageBytes.Length)))
            }
        }

        It 'lists the details of a result: prompt, mode, references, expiry, request id and usage' {
            $image = Edit-SeedreamImage -Prompt 'make it night' -Image 'https://img.example/a.png'
            $text = $image | Format-Text -As List
            foreach ($label in 'Index', 'Prompt', 'Model', 'Mode', 'ReferenceCount', 'Size', 'OutputFormat', 'Created', 'ExpiresAt', 'TimeLeft', 'Url', 'RequestId', 'Usage') {
                $text | Should -Match "(?m)^$label\s*:" -Because "the list view shows $label"
            }
            $text | Should -Match 'Prompt\s*:\s*make it night'
            $text | Should -Match 'Mode\s*:\s*Edit'
            $text | Should -Match 'ReferenceCount\s*:\s*1'
            $text | Should -Match ([regex]::Escape($image.Url))
            $text | Should -Not -Match 'ImageBytes'
        }
    }

    Describe 'Catalog' {
        It 'shows each model with its id, status and price rule, within 80 columns' {
            $text = Get-SeedreamModel | Format-Text -As Default
            $text | Should -Match '(?m)^\s*Family\s+Id\s+Status\s+Price \(USD\)\s*$'
            $text | Should -Match '5\.5\s+seedream-5-5-261028\s+Live\s+\$0\.02-0\.035 \+\$0\.008/ref'
            $text | Should -Match '5\.0-pro\s+seedream-5-0-pro-260628\s+Live\s+\$0\.12/request'
            $text | Should -Match '5\.0-lite\s+seedream-5-0-260128\s+Live\s+\$0\.035'
            $text | Should -Match '4\.5\s+seedream-4-5-251128\s+Live\s+\$0\.04'
            $text | Should -Match '4\.0\s+seedream-4-0-250828\s+Live\s+\$0\.03'
            foreach ($provider in 'APIYI', 'BytePlus', 'Volcengine') {
                $lines = (Get-SeedreamModel -Provider $provider | Out-String -Width 80) -split "`r?`n" | Where-Object { $_.Trim() }
                $lines | Where-Object { $_.TrimEnd().Length -gt 80 } | Should -BeNullOrEmpty
                foreach ($model in Get-SeedreamModel -Provider $provider) {
                    $lines | Where-Object { $_ -match [regex]::Escape($model.Id) -and $_ -match [regex]::Escape($model.Price) } | Should -Not -BeNullOrEmpty -Because "$($model.Id) shows its whole id and price in 80 columns"
                }
            }
        }

        It 'fits the longest provider id (Volcengine) in its column' {
            Get-SeedreamModel -Name flash -Provider Volcengine | Format-Text | Should -Match 'doubao-seedream-5-0-flash-260915\s+Live'
        }
    }

    Describe 'An 80-column console' {
        BeforeAll {
            function Get-Lines([string] $Text) { @($Text -split '\r?\n' | Where-Object { $_ -match '\S' }) }
        }

        It 'shows every result column, the URL''s host and file-name end included, within 80 columns' {
            $images = New-SeedreamImage -Prompt 'eighty' -MaxImages 2
            $lines = Get-Lines ($images | Out-String -Width 80)
            $lines | ForEach-Object { $_.Length | Should -BeLessOrEqual 80 -Because "'$_' must fit" }
            $lines[0] | Should -Match '^\s*Index\s+Size\s+Model\s+Mode\s+TimeLeft\s+Url\s*$'
            $uri = [Uri]$images[0].Url
            $rows = @($lines | Where-Object { $_ -match '^\s*\d+\s' })
            $rows | Should -HaveCount 2
            $rows[0] | Should -Match ([regex]::Escape($uri.Host + '/...'))
            $rows[0] | Should -Match ([regex]::Escape($uri.AbsolutePath.Substring($uri.AbsolutePath.Length - 12)) + '\s*$') -Because 'the URL column keeps the end of the file name'
            $rows[0] | Should -Match '\s5\.0-lite\s+Sequence\s+2[34]h\d\dm\s'
        }

        It 'names an unknown model by its id and an inline result by its size in bytes, within 80 columns' {
            $inline = [Seedream.SeedreamImage]@{ Index = 0; Size = '2048x2048'; Model = 'ep-20261201-abc'; Created = [DateTimeOffset]::UtcNow; ImageBytes = [byte[]]::new(1234567); Mode = 'Fusion' }
            $lines = Get-Lines ($inline | Out-String -Width 80)
            $lines | ForEach-Object { $_.Length | Should -BeLessOrEqual 80 }
            $lines[-1] | Should -Match 'ep-2026\S*\s+Fusion\s+inline\s+\(1,234,567 bytes inline\)'
        }

        It 'shows the model table with its price column, prices at their real precision, for <Provider>' -ForEach @(
            @{ Provider = 'APIYI' }
            @{ Provider = 'Volcengine' }
        ) {
            $lines = Get-Lines (Get-SeedreamModel -Provider $Provider | Out-String -Width 80)
            $lines | ForEach-Object { $_.Length | Should -BeLessOrEqual 80 -Because "'$_' must fit" }
            $lines[0] | Should -Match 'Price \(USD\)\s*$'
            foreach ($model in Get-SeedreamModel -Provider $Provider) {
                $row = @($lines | Where-Object { $_ -match ('\s' + [regex]::Escape($model.Id) + '\s') })
                $row | Should -HaveCount 1 -Because "$($model.Id) is shown whole"
                $row[0] | Should -Match ('\s' + [regex]::Escape($model.Price) + '\s*$') -Because 'the price rule is shown whole'
            }
            ($lines -join "`n") | Should -Match '\s\$0\.035\s*(\n|$)' -Because '5.0 lite costs $0.035, not 0.04'
        }

        It 'shows the connection within 80 columns' {
            Get-Lines (Get-SeedreamConnection | Out-String -Width 80) | ForEach-Object { $_.Length | Should -BeLessOrEqual 80 }
        }
    }

    Describe 'Connection' {
        It 'shows provider, base URI and the key''s source, never the key' {
            $text = Get-SeedreamConnection | Format-Text -As Default
            $text | Should -Match 'Provider\s*:\s*APIYI'
            $text | Should -Match ('BaseUri\s*:\s*' + [regex]::Escape($Fake.ApiV1))
            $text | Should -Match 'BaseUriSource\s*:\s*Environment:SEEDREAM_BASE_URI'
            $text | Should -Match 'HasApiKey\s*:\s*True'
            $text | Should -Match 'ApiKeySource\s*:\s*Environment:SEEDREAM_API_KEY'
            $text | Should -Not -Match ([regex]::Escape($Fake.ApiKey))
            Connect-Seedream -ApiKey 'a-connected-secret-key'
            try { Get-SeedreamConnection | Format-Text -As List | Should -Not -Match 'a-connected-secret-key' }
            finally { Disconnect-Seedream }
        }
    }
}
