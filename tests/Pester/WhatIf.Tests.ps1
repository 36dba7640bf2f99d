# -WhatIf / -Confirm: the message states mode, model, references, the most billable images and the estimated cost;
# nothing is sent and no file is written. The messages go to the host, so they are read from a child PowerShell.
BeforeDiscovery {
    # Hand-computed from the contract's price table (USD list prices).
    $script:PriceRows = @(
        @{ Provider = 'APIYI'; Command = 'New-SeedreamImage -Prompt p -Model 5.5'; Cost = '$0.035'; Breakdown = '1 image(s) x $0.035' }
        @{ Provider = 'BytePlus'; Command = 'New-SeedreamImage -Prompt p -Model 5.5 -Size 1K'; Cost = '$0.02'; Breakdown = '1 image(s) x $0.02' }
        @{ Provider = 'BytePlus'; Command = 'Edit-SeedreamImage -Prompt p -Model 5.5 -Size 1.5K -Image https://img.example/ref1.png,https://img.example/ref2.png'; Cost = '$0.036'; Breakdown = '1 image(s) x $0.02 + 2 reference(s) x $0.008' }
        @{ Provider = 'Volcengine'; Command = 'Edit-SeedreamImage -Prompt p -Model 5.5 -Size 2560x1440 -Image https://img.example/ref1.png,https://img.example/ref2.png,https://img.example/ref3.png,https://img.example/ref4.png,https://img.example/ref5.png,https://img.example/ref6.png,https://img.example/ref7.png,https://img.example/ref8.png,https://img.example/ref9.png,https://img.example/ref10.png'; Cost = '$0.115'; Breakdown = '1 image(s) x $0.035 + 10 reference(s) x $0.008 (BytePlus list price; Volcengine bills in CNY)' }
        @{ Provider = 'APIYI'; Command = 'Edit-SeedreamImage -Prompt p -Model pro -Image https://img.example/ref1.png,https://img.example/ref2.png,https://img.example/ref3.png'; Cost = '$0.12'; Breakdown = '$0.12 a request (references included)' }
        @{ Provider = 'BytePlus'; Command = 'Edit-SeedreamImage -Prompt p -Model pro -Size 1K -Image https://img.example/ref1.png'; Cost = '$0.045'; Breakdown = '1 image(s) x $0.045' }
        @{ Provider = 'BytePlus'; Command = 'Edit-SeedreamImage -Prompt p -Model pro -Image https://img.example/ref1.png,https://img.example/ref2.png,https://img.example/ref3.png'; Cost = '$0.096'; Breakdown = '1 image(s) x $0.09 + 2 reference(s) x $0.003 (from the second)' }
        @{ Provider = 'BytePlus'; Command = 'New-SeedreamImage -Prompt p -Model pro -Size 1536x1536'; Cost = '$0.045'; Breakdown = '1 image(s) x $0.045' }
        @{ Provider = 'BytePlus'; Command = 'New-SeedreamImage -Prompt p -Model pro -Size 1537x1536'; Cost = '$0.09'; Breakdown = '1 image(s) x $0.09' }
        @{ Provider = 'BytePlus'; Command = 'Edit-SeedreamImage -Prompt p -Model flash -Image https://img.example/ref1.png,https://img.example/ref2.png,https://img.example/ref3.png,https://img.example/ref4.png'; Cost = '$0.018'; Breakdown = '1 image(s) x $0.018 (references free)' }
        @{ Provider = 'APIYI'; Command = 'New-SeedreamImage -Prompt p -MaxImages 4'; Cost = '$0.14'; Breakdown = '4 image(s) x $0.035' }
        @{ Provider = 'BytePlus'; Command = 'Edit-SeedreamImage -Prompt p -Model 4.5 -MaxImages 3 -Image https://img.example/ref1.png,https://img.example/ref2.png'; Cost = '$0.12'; Breakdown = '3 image(s) x $0.04' }
        @{ Provider = 'Volcengine'; Command = 'New-SeedreamImage -Prompt p -Model 4.0 -Size 1K -WarningAction SilentlyContinue'; Cost = '$0.03'; Breakdown = '1 image(s) x $0.03 (BytePlus list price; Volcengine bills in CNY)' }
    )
}

Describe 'WhatIf' {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'TestSetup.ps1')
        $script:ModuleBase = (Get-Module Seedream).ModuleBase
        function Invoke-ChildPowerShell([string] $Script, [string] $WorkFolder) {
            # Under 'dotnet pwsh' the process is dotnet and PowerShell is pwsh.dll in $PSHOME.
            $exe = [Environment]::ProcessPath
            $arguments = @(if ((Split-Path $exe -Leaf) -like 'dotnet*') { Join-Path $PSHOME 'pwsh.dll' })
            $prelude = "`$ProgressPreference = 'SilentlyContinue'; Set-Location -LiteralPath '$WorkFolder'; Import-Module '$ModuleBase'; "
            $output = & $exe @arguments -NoProfile -NonInteractive -Command ($prelude + $Script) 2>&1
            ($output | ForEach-Object { "$_" }) -join "`n"
        }
        $script:Work = Join-Path ([IO.Path]::GetTempPath()) "seedream-whatif-$([guid]::NewGuid().ToString('N'))"
        $null = New-Item -ItemType Directory -Path $Work
        foreach ($name in 'a.png', 'b.png') {
            $size = [byte[]](0, 0, 0, 64)
            [IO.File]::WriteAllBytes((Join-Path $Work $name), [byte[]]([byte[]](0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52) + $size + $size + [byte[]](8, 2, 0, 0, 0, 0, 0, 0, 0)))
        }
    }
    AfterAll {
        Remove-Item $Work -Recurse -Force -ErrorAction SilentlyContinue
        . (Join-Path $PSScriptRoot 'TestTeardown.ps1')
    }
    BeforeEach { Reset-FakeSeedreamApi $Fake }

    It 'New-SeedreamImage -WhatIf states mode, model, provider, references, billable images and cost, and sends nothing' {
        $text = Invoke-ChildPowerShell -WorkFolder $Work -Script @'
New-SeedreamImage -Prompt 'six product shots of a ceramic mug' -Model 4.5 -MaxImages 6 -WhatIf
'---'
New-SeedreamImage -Prompt 'one fox' -WhatIf
'@
        $sequence, $single = $text -split '(?m)^---$'
        $sequence | Should -Match 'What if: .*"Sequence with seedream-4-5-251128 on APIYI: 0 reference image\(s\), up to 6 billed image\(s\), estimated cost up to \$0\.24 at list price: 6 image\(s\) x \$0\.04" on target "''six product shots of a ceramic mug''"'
        $single | Should -Match 'TextToImage with seedream-5-0-260128 on APIYI: 0 reference image\(s\), up to 1 billed image\(s\), estimated cost up to \$0[.,]035'
        Get-FakeRequest $Fake | Should -BeNullOrEmpty
    }

    It 'Edit-SeedreamImage -WhatIf counts the references and states 15 minus references as the most billable images' {
        $text = Invoke-ChildPowerShell -WorkFolder $Work -Script @'
Edit-SeedreamImage -Prompt 'image 1 in the style of image 2' -Image ./a.png, ./b.png -WhatIf
'---'
Edit-SeedreamImage -Prompt 'variations' -Image ./a.png, ./b.png -MaxImages 13 -Model 4.0 -WhatIf
'---'
Get-ChildItem ./*.png | Edit-SeedreamImage -Fuse -Prompt 'together' -Model some-private-endpoint -WhatIf
'@
        $fusion, $sequence, $unknown = $text -split '(?m)^---$'
        $fusion | Should -Match 'Fusion with seedream-5-0-260128 on APIYI: 2 reference image\(s\), up to 1 billed image\(s\), estimated cost up to \$0[.,]035'
        $sequence | Should -Match 'ImageToSequence with seedream-4-0-250828 on APIYI: 2 reference image\(s\), up to 13 billed image\(s\), estimated cost up to \$0\.39 at list price: 13 image\(s\) x \$0\.03'
        $unknown | Should -Match 'Fusion with some-private-endpoint on APIYI: 2 reference image\(s\), up to 1 billed image\(s\), cost unknown'
        Get-FakeRequest $Fake | Should -BeNullOrEmpty
    }

    Context 'Prices of the December lineup, against a table worked out by hand from the contract' -ForEach @(@{ Rows = $PriceRows }) {
        BeforeAll {
            # One child PowerShell runs every row (What if lines go to its host), rows separated by '---'.
            $lines = foreach ($row in $Rows) {
                "Connect-Seedream -Provider $($row.Provider) -BaseUri '$($Fake."Api$($row.Provider)")'; $($row.Command) -WhatIf; '---'"
            }
            $script:PriceText = (Invoke-ChildPowerShell -WorkFolder $Work -Script ($lines -join "`n")) -split '(?m)^---$'
        }

        It '<Command> on <Provider> costs <Cost>' -ForEach $Rows {
            $index = [array]::IndexOf(@($Rows | ForEach-Object { "$($_.Provider) $($_.Command)" }), "$Provider $Command")
            $PriceText[$index] | Should -Match ('What if: .* on ' + $Provider + ': .*estimated cost up to ' + [regex]::Escape($Cost) + ' at list price: ' + [regex]::Escape($Breakdown) + '"')
        }

        It 'sends nothing for any row' {
            Get-FakeRequest $Fake | Should -BeNullOrEmpty
        }
    }

    It 'checks the parameters before -WhatIf: a rule violation is an error and nothing is sent' {
        $text = Invoke-ChildPowerShell -WorkFolder $Work -Script @'
try { New-SeedreamImage -Prompt 'p' -Model 4.5 -OutputFormat Png -WhatIf -ErrorAction Stop } catch { 'ERROR: ' + $_.Exception.Message }
'@
        $text | Should -Match 'ERROR: .*OutputFormat|ERROR: .*png'
        $text | Should -Not -Match 'What if:'
        Get-FakeRequest $Fake | Should -BeNullOrEmpty
    }

    It 'sends the request with -Confirm:$false (no prompt, one request)' {
        $null = New-SeedreamImage -Prompt 'p' -Confirm:$false
        @(Get-FakeRequest $Fake -Target generate) | Should -HaveCount 1
    }

    It 'Save-SeedreamResult -WhatIf names each file and writes or downloads nothing' {
        # Run in a child PowerShell whose output is captured: What if lines go to the host, and would print this
        # machine's temporary paths into the test log.
        $text = Invoke-ChildPowerShell -WorkFolder $Work -Script @'
$images = New-SeedreamImage -Prompt 'two boats' -MaxImages 2
$images | Save-SeedreamResult -Path ./saved -NameTemplate 'boat-{index}' -WhatIf
'@
        $text | Should -Match 'What if: Performing the operation "Save Seedream image" on target ".*boat-0\.jpg"'
        $text | Should -Match 'boat-1\.jpg'
        Join-Path $Work 'saved' | Should -Not -Exist
        Get-FakeRequest $Fake -Target download | Should -BeNullOrEmpty
    }
}
