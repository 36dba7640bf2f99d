# Issue 15: memory that stays bounded. The request body is written straight to the connection (files read and
# base64-encoded as they are sent); streamed images are released once written, and the stream read waits for the pipeline.
Describe 'Bounded memory' {
    BeforeAll { . (Join-Path $PSScriptRoot 'TestSetup.ps1') }
    AfterAll { . (Join-Path $PSScriptRoot 'TestTeardown.ps1') }
    BeforeEach { Reset-FakeSeedreamApi $Fake }

  Describe 'Streamed request body' {

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

  Describe 'Unstreamed images' {
    It 'saves inline images of many decoding pieces byte for byte, and ImageBytes is the same image' {
        # About 3 MB an image: some fifty 64 KB pieces, the last one part full.
        Set-FakeSetting $Fake -ImagePaddingBytes 3000017
        $results = @(New-SeedreamImage -Prompt 'two large scenes' -MaxImages 2 -ResponseFormat Base64Json)
        # -NoProvenance: the file is then exactly the bytes received (provenance would add an XMP packet).
        $saved = @($results | Save-SeedreamResult -Path $TestDrive -NoProvenance -PassThru)
        $saved | Should -HaveCount 2
        foreach ($i in 0, 1) {
            $bytes = [IO.File]::ReadAllBytes($saved[$i].FullName)
            $bytes.Length | Should -BeGreaterOrEqual 3000017
            [Convert]::ToBase64String($results[$i].ImageBytes) | Should -BeExactly ([Convert]::ToBase64String($bytes))
            "$($results[$i])" | Should -BeLike "* image $i (*, $($bytes.Length.ToString('N0')) bytes inline)"
        }
    }
  }

  Describe 'Streamed images' {
    It 'holds no image once it is written, and pauses the stream read for a slow consumer' {
        # About 11 MB of base64 an image: the connection's buffers hold at most one or two beyond those in the module.
        Set-FakeSetting $Fake -ImagePaddingBytes 8000000
        $weak = [System.Collections.Generic.List[WeakReference]]::new()
        $seen = [System.Collections.Generic.List[object]]::new()
        New-SeedreamImage -Prompt 'six large scenes' -MaxImages 6 -ResponseFormat Base64Json -Stream | ForEach-Object {
            $weak.Add([WeakReference]::new($_.ImageBytes))
            $_.ImageBytes.Length | Should -BeGreaterOrEqual 8000000
            if ($weak.Count -eq 1) {
                Start-Sleep -Milliseconds 1500 # a slow consumer: an unbounded queue would take in the whole stream meanwhile
                $sent = (Get-FakeRequest $Fake -Target generate)[0].eventsSent
            }
            [GC]::Collect(); [GC]::WaitForPendingFinalizers(); [GC]::Collect()
            $seen.Add([pscustomobject]@{ Index = $_.Index; EarlierAlive = @($weak | Select-Object -SkipLast 1 | Where-Object IsAlive).Count; Sent = $sent })
        }
        $seen.Index | Should -Be @(0, 1, 2, 3, 4, 5)
        # At the first image: it is being written, one more may wait, one is being read, one is in the connection.
        $seen[0].Sent | Should -BeLessOrEqual 4
        # While each image is written, no earlier one is kept by the module.
        $seen.EarlierAlive | Should -Be @(0, 0, 0, 0, 0, 0)
    }

    It 'writes what arrived before a cut stream, then the error, with a slow consumer' {
        Set-FakeSetting $Fake -ImagePaddingBytes 2000000
        Add-FakeFault $Fake @{ cutAfterEvents = 3 }
        $errors = $null
        $images = @(New-SeedreamImage -Prompt 'cut short' -MaxImages 6 -ResponseFormat Base64Json -Stream -ErrorVariable errors -ErrorAction SilentlyContinue |
                ForEach-Object { Start-Sleep -Milliseconds 300; $_ })
        # The fake resets the connection after its third event; what the paused read had not taken in yet is lost
        # with it, so the error says how many arrived, and exactly those were written.
        $errors | Should -HaveCount 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'Seedream.StreamIncomplete*'
        $errors[0].Exception.Message -match '(\d+) image\(s\) had arrived' | Should -BeTrue
        $arrived = [int]$Matches[1]
        $arrived | Should -BeGreaterThan 0
        $arrived | Should -BeLessOrEqual 3
        $images.Index | Should -Be @(0..($arrived - 1))
    }
  }
}
