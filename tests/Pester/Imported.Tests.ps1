# Issue 14: results read back with Import-Clixml (as from a job or remoting) are live again: IsExpired and TimeLeft are
# computed from ExpiresAt when read, not frozen at export, and an imported Base64Json result can be edited and saved.
Describe 'Imported results' {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'TestSetup.ps1')
        $script:Folder = Join-Path ([IO.Path]::GetTempPath()) ("seedream-imported-" + [guid]::NewGuid().ToString('N'))
        $null = New-Item -ItemType Directory -Path $Folder

        # Exports results, then moves every ExpiresAt in the file by $Shift: the same file read back as if that much
        # time had passed since the export (the values IsExpired and TimeLeft had at export stay in the file).
        function Export-Aged([object[]] $Results, [TimeSpan] $Shift) {
            $path = Join-Path $Folder ([guid]::NewGuid().ToString('N') + '.xml')
            $Results | Export-Clixml -LiteralPath $path
            [xml] $xml = Get-Content -LiteralPath $path -Raw
            $ns = [System.Xml.XmlNamespaceManager]::new($xml.NameTable)
            $ns.AddNamespace('ps', 'http://schemas.microsoft.com/powershell/2004/04')
            foreach ($node in $xml.SelectNodes("//ps:Obj[@N='ExpiresAt']//ps:DT", $ns)) {
                $mode = [System.Xml.XmlDateTimeSerializationMode]::RoundtripKind
                $node.InnerText = [System.Xml.XmlConvert]::ToString([System.Xml.XmlConvert]::ToDateTime($node.InnerText, $mode) - $Shift, $mode)
            }
            $xml.Save($path)
            $path
        }
    }
    AfterAll {
        Remove-Item -LiteralPath $Folder -Recurse -Force -ErrorAction SilentlyContinue
        . (Join-Path $PSScriptRoot 'TestTeardown.ps1')
    }
    BeforeEach { Reset-FakeSeedreamApi $Fake }

    It 'an imported result that has expired since its export says so: IsExpired, TimeLeft, the views, and Save refuses it' {
        $live = New-SeedreamImage -Prompt 'kept for later'
        $live.IsExpired | Should -BeFalse
        $path = Export-Aged -Results $live -Shift ([TimeSpan]::FromHours(25))
        (Get-Content -LiteralPath $path -Raw) | Should -Match '<B N="IsExpired">false</B>' -Because 'the file still holds the value of export time'
        $imported = Import-Clixml -LiteralPath $path
        $imported | Should -BeOfType [Seedream.SeedreamImage]
        $imported.IsExpired | Should -BeTrue
        $imported.TimeLeft | Should -Be ([TimeSpan]::Zero)
        $imported | Out-String -Width 80 | Should -Match '\bexpired\b'
        $imported | Format-List | Out-String | Should -Match 'TimeLeft\s*:\s*expired'
        $failure = { $imported | Save-SeedreamResult -Path (Join-Path $Folder 'late') -ErrorAction Stop } | Should -Throw -PassThru
        $failure.FullyQualifiedErrorId | Should -BeLike 'Seedream.UrlExpired,*'
        @(Get-FakeRequest $Fake -Target download) | Should -HaveCount 0
        $refusal = Get-Refusal { $imported | Edit-SeedreamImage -Prompt 'again' }
        $refusal.Exception.Message | Should -Match 'expired'
        @(Get-FakeRequest $Fake -Target generate) | Should -HaveCount 1 -Because 'only the first New-SeedreamImage was sent'
    }

    It 'an imported result still live counts down from its ExpiresAt' {
        $live = New-SeedreamImage -Prompt 'fresh'
        $imported = Import-Clixml -LiteralPath (Export-Aged -Results $live -Shift ([TimeSpan]::FromHours(20)))
        $imported.IsExpired | Should -BeFalse
        $imported.TimeLeft.TotalHours | Should -BeLessThan 4.1
        $imported.TimeLeft.TotalHours | Should -BeGreaterThan 3
        $imported.ExpiresAt | Should -Be $live.ExpiresAt.AddHours(-20)
        $imported.Created | Should -Be $live.Created
        $imported.Usage.GeneratedImages | Should -Be $live.Usage.GeneratedImages
        $imported.Mode | Should -Be $live.Mode
        $imported.RequestId | Should -Be $live.RequestId
        $imported.Request.Prompt | Should -Be 'fresh' -Because 'the request record comes along'
        $imported.Request.Mode | Should -Be $live.Request.Mode
    }

    It 'an imported Base64Json result is edited (its bytes sent as a data URI) and saved like a live one' {
        $live = New-SeedreamImage -Prompt 'inline, kept' -ResponseFormat Base64Json
        $imported = Import-Clixml -LiteralPath (Export-Aged -Results $live -Shift ([TimeSpan]::FromDays(3)))
        $imported.ImageBytes | Should -Be $live.ImageBytes
        $imported.TimeLeft | Should -BeNullOrEmpty -Because 'inline bytes do not expire'
        $edited = $imported | Edit-SeedreamImage -Prompt 'edit the kept one'
        $edited | Should -HaveCount 1
        $wire = @(@(Get-FakeRequest $Fake -Target generate)[-1].body.image)
        $wire | Should -HaveCount 1
        [Convert]::FromBase64String($wire[0].Substring($wire[0].IndexOf(',') + 1)) | Should -Be $live.ImageBytes
        $file = $imported | Save-SeedreamResult -Path (Join-Path $Folder 'kept') -PassThru -NoProvenance
        [IO.File]::ReadAllBytes($file.FullName) | Should -Be $live.ImageBytes
    }

    It 'results from a job come back live too' {
        $module = Join-Path (Get-Module Seedream).ModuleBase 'Seedream.psd1'
        $job = Start-Job -ScriptBlock {
            param($Module, $BaseUri, $Key)
            Import-Module $Module
            New-SeedreamImage -Prompt 'from a job' -ResponseFormat Base64Json -BaseUri $BaseUri -ApiKey $Key
        } -ArgumentList $module, $Fake.ApiV1, $Fake.ApiKey
        try { $result = $job | Receive-Job -Wait -ErrorAction Stop }
        finally { $job | Remove-Job -Force }
        $result | Should -BeOfType [Seedream.SeedreamImage]
        $result.ImageBytes.Length | Should -BeGreaterThan 0
        $file = $result | Save-SeedreamResult -Path (Join-Path $Folder 'job') -PassThru -NoProvenance
        [IO.File]::ReadAllBytes($file.FullName) | Should -Be $result.ImageBytes
    }
}
