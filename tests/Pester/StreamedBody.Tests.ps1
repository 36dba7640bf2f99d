# Issue 15: the request body is written straight to the connection; files are read and base64-encoded as they are sent.
Describe 'Streamed request body' {
    BeforeAll { . (Join-Path $PSScriptRoot 'TestSetup.ps1') }
    AfterAll { . (Join-Path $PSScriptRoot 'TestTeardown.ps1') }
    BeforeEach { Reset-FakeSeedreamApi $Fake }

    It 'sends a file reference as its whole data URI and shows it shortened in -Debug' {
        $png = New-TestImageFile -Path (Join-Path $TestDrive 'upload.png') -Width 512 -Height 512 -PadBytes 300000
        $base64 = [Convert]::ToBase64String([IO.File]::ReadAllBytes($png.FullName))
        $DebugPreference = 'Continue'
        $debug = @(Edit-SeedreamImage -Prompt 'streamed upload' -Path $png.FullName 5>&1 |
                Where-Object { $_ -is [System.Management.Automation.DebugRecord] })
        $text = $debug.Message -join "`n"
        $text | Should -Match ([regex]::Escape("data:image/png;base64,$($base64.Substring(0, 20))"))
        $text | Should -Match ([regex]::Escape("(" + ("data:image/png;base64,$base64").Length.ToString('N0') + ' chars)'))
        $text.Length | Should -BeLessThan 4000
        $text | Should -Not -Match ([regex]::Escape($base64.Substring(2000, 100)))
        (Get-FakeRequest $Fake -Target generate)[0].body.image[0] | Should -BeExactly "data:image/png;base64,$base64"
    }

    It 'reads the file again for a retry after a 503 and sends the same body' {
        $png = New-TestImageFile -Path (Join-Path $TestDrive 'retried.png') -PadBytes 100000
        Add-FakeFault $Fake @{ status = 503; times = 1 }
        $result = Edit-SeedreamImage -Prompt 'retried upload' -Path $png.FullName
        $result | Should -HaveCount 1
        $sent = @(Get-FakeRequest $Fake -Target generate)
        $sent | Should -HaveCount 2
        ($sent[0].body | ConvertTo-Json -Compress -Depth 5) | Should -BeExactly ($sent[1].body | ConvertTo-Json -Compress -Depth 5)
        $sent[1].body.image[0] | Should -BeExactly ('data:image/png;base64,' + [Convert]::ToBase64String([IO.File]::ReadAllBytes($png.FullName)))
    }
}
