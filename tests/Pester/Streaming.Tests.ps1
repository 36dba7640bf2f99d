# Issue 4: -Stream writes each image the moment its event arrives; partial failures; cut and idle streams; progress.
Describe 'Streaming' {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'TestSetup.ps1')
        function Get-OnlyGenerate { @(Get-FakeRequest $Fake -Target generate) }
        . (Join-Path $PSScriptRoot 'ReliabilityHelpers.ps1')

        # Runs a script in a fresh PowerShell instance of this process (the module imported, progress on) and
        # returns its output, errors and progress records.
        function Invoke-WithProgress([string] $Script, [string] $Preference = 'Continue') {
            $ps = [powershell]::Create()
            try {
                $null = $ps.AddScript("Import-Module '$script:SeedreamManifest'; `$ProgressPreference = '$Preference'; $Script")
                $output = $ps.Invoke()
                [pscustomobject]@{ Output = $output; Errors = @($ps.Streams.Error); Progress = @($ps.Streams.Progress) }
            }
            finally { $ps.Dispose() }
        }
    }
    AfterAll { . (Join-Path $PSScriptRoot 'TestTeardown.ps1') }
    BeforeEach { Reset-FakeSeedreamApi $Fake }

    Describe '-Stream' {
        It 'sends stream: true and returns one object per image event, in index order; usage goes to -Verbose' {
            $images = New-SeedreamImage -Prompt 'three scenes' -MaxImages 3 -Stream -Verbose 4>&1
            $verbose = @($images | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message -join "`n"
            $images = @($images | Where-Object { $_ -is [Seedream.SeedreamImage] })
            (Get-OnlyGenerate)[0].body.stream | Should -BeTrue
            $images | Should -HaveCount 3
            $images.Index | Should -Be @(0, 1, 2)
            $images.RequestId | Should -Match '^req-'
            # Streamed objects leave before the completed event: they carry no usage, and are never changed afterwards.
            $images | Where-Object Usage | Should -BeNullOrEmpty
            $verbose | Should -Match 'billed 3 image\(s\)'
        }

        It 'writes the first image to the pipeline before the API sends its last event' {
            Add-FakeFault $Fake @{ holdAfterEvents = 1 }
            $seen = [System.Collections.Generic.List[object]]::new()
            $images = New-SeedreamImage -Prompt 'four scenes' -MaxImages 4 -Stream | ForEach-Object {
                if ($seen.Count -eq 0) {
                    # The fake holds the stream after its first event until released: this object came from that event.
                    $seen.Add((Get-OnlyGenerate)[0].eventsSent)
                    Send-FakeRelease $Fake
                }
                $_
            }
            $seen[0] | Should -Be 1
            $request = (Get-OnlyGenerate)[0]
            $request.holdReleased | Should -BeTrue
            $request.eventsSent | Should -Be 5  # four images and completed
            $images | Should -HaveCount 4
        }

        It 'saves the first image while the others are still being generated' {
            Add-FakeFault $Fake @{ holdAfterEvents = 1 }
            $folder = Join-Path $TestDrive 'streamed'
            $released = $false
            $files = New-SeedreamImage -Prompt 'two scenes' -MaxImages 2 -Stream | Save-SeedreamResult -Path $folder -PassThru | ForEach-Object {
                if (-not $released) {
                    $script:firstSaveEventsSent = (Get-OnlyGenerate)[0].eventsSent
                    $released = $true
                    Send-FakeRelease $Fake
                }
                $_
            }
            $script:firstSaveEventsSent | Should -Be 1
            $files | Should -HaveCount 2
            (Get-OnlyGenerate)[0].holdReleased | Should -BeTrue
        }

        It 'streams Base64Json answers as decoded bytes' {
            $images = New-SeedreamImage -Prompt 'inline stream' -MaxImages 2 -Stream -ResponseFormat Base64Json
            $images | Should -HaveCount 2
            $images | ForEach-Object { $_.ImageBytes[0..2] | Should -Be @(0xFF, 0xD8, 0xFF) }
            $images[0].Url | Should -BeNullOrEmpty
            (Get-OnlyGenerate)[0].body.response_format | Should -Be 'b64_json'
        }

        It 'reports the usage of the completed event in -Verbose' {
            $verbose = New-SeedreamImage -Prompt 'usage' -MaxImages 2 -Stream -Verbose 4>&1 |
                Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
            ($verbose.Message -join "`n") | Should -Match 'billed 2 image\(s\)'
        }
    }

    Describe 'Partial failures' {
        It 'partial_failed: one non-terminating error per failed index, the good images written' {
            Add-FakeFault $Fake @{ errorSlots = @(1, 3) }
            $images = New-SeedreamImage -Prompt 'four, two fail' -MaxImages 4 -Stream -ErrorVariable failures -ErrorAction SilentlyContinue
            $images | Should -HaveCount 2
            $images.Index | Should -Be @(0, 2)
            $failures | Should -HaveCount 2
            $failures | ForEach-Object { $_.FullyQualifiedErrorId | Should -BeLike 'Seedream.ContentFiltered*' }
            $failures.TargetObject.Index | Should -Be @(1, 3)
            $failures[0].TargetObject.Prompt | Should -Be 'four, two fail'
            $failures[0].Exception.Message | Should -Match 'OutputImageSensitiveContentDetected'
            $failures[0].Exception | Should -BeOfType [Seedream.Api.SeedreamApiException]
            $failures[0].Exception.ErrorCode | Should -Be 'OutputImageSensitiveContentDetected'
        }

        It 'the same for error slots in a non-streamed data[]' {
            Add-FakeFault $Fake @{ errorSlots = @(0); code = 'InternalServiceError'; message = 'slot broke' }
            $images = New-SeedreamImage -Prompt 'three, first fails' -MaxImages 3 -ErrorVariable failures -ErrorAction SilentlyContinue
            $images.Index | Should -Be @(1, 2)
            $failures | Should -HaveCount 1
            $failures[0].FullyQualifiedErrorId | Should -BeLike 'Seedream.ImageFailed*'
            $failures[0].Exception.Message | Should -Match 'InternalServiceError: slot broke'
            $failures[0].TargetObject.Index | Should -Be 0
            $failures[0].TargetObject.Prompt | Should -Be 'three, first fails'
        }

        It 'an error event ends the request with an error that carries its code; earlier images stay' {
            Add-FakeFault $Fake @{ errorEvent = $true; cutAfterEvents = 1; code = 'InternalServiceError'; message = 'the model fell over' }
            $images = New-SeedreamImage -Prompt 'error event' -MaxImages 3 -Stream -ErrorVariable failures -ErrorAction SilentlyContinue
            $images | Should -HaveCount 1
            $failures | Should -HaveCount 1
            $failures[0].FullyQualifiedErrorId | Should -BeLike 'Seedream.StreamError*'
            $failures[0].Exception | Should -BeOfType [Seedream.Api.SeedreamStreamException]
            $failures[0].Exception.Error.Code | Should -Be 'InternalServiceError'
            $failures[0].Exception.Message | Should -Match 'InternalServiceError'
            $failures[0].TargetObject | Should -Be 'error event'
            (Get-OnlyGenerate) | Should -HaveCount 1
        }

        It 'a stream cut before completed: an error saying how many images arrived, those stay written, no retry' {
            Add-FakeFault $Fake @{ cutAfterEvents = 2 }
            $folder = Join-Path $TestDrive 'cut'
            $files = New-SeedreamImage -Prompt 'cut stream' -MaxImages 4 -Stream -ErrorVariable failures -ErrorAction SilentlyContinue |
                Save-SeedreamResult -Path $folder -PassThru
            $files | Should -HaveCount 2
            $failures | Should -HaveCount 1
            $failures[0].FullyQualifiedErrorId | Should -BeLike 'Seedream.StreamIncomplete*'
            $failures[0].Exception.Message | Should -Match '\b2 image\(s\) had arrived'
            $failures[0].Exception.Message | Should -Match 'billed'
            $failures[0].Exception.ImagesReceived | Should -Be 2
            (Get-OnlyGenerate) | Should -HaveCount 1
            Get-ChildItem $folder -Force | Where-Object Name -Like '*.partial' | Should -BeNullOrEmpty
        }

        It 'an idle stream times out after -StreamIdleTimeoutSec' {
            Add-FakeFault $Fake @{ holdAfterEvents = 1 }
            $images = New-SeedreamImage -Prompt 'idle' -MaxImages 3 -Stream -StreamIdleTimeoutSec 1 -ErrorVariable failures -ErrorAction SilentlyContinue
            $images | Should -HaveCount 1
            $failures | Should -HaveCount 1
            $failures[0].FullyQualifiedErrorId | Should -BeLike 'Seedream.StreamIdle*'
            $failures[0].Exception.Message | Should -Match 'sent nothing for 1 s'
            $failures[0].Exception.Message | Should -Match '-StreamIdleTimeoutSec'
            (Get-OnlyGenerate) | Should -HaveCount 1
            Send-FakeRelease $Fake
        }
    }

    Describe 'Progress' {
        It 'New-SeedreamImage shows progress while the request runs and completes it at the end' {
            $run = Invoke-WithProgress "New-SeedreamImage -Prompt 'progress' -MaxImages 2 -Stream"
            $run.Errors | Should -BeNullOrEmpty
            $run.Output | Should -HaveCount 2
            $records = $run.Progress | Where-Object Activity -Like 'Seedream: generating*'
            $records.Count | Should -BeGreaterThan 1
            $records[0].RecordType | Should -Be 'Processing'
            $records[0].StatusDescription | Should -Match 'elapsed'
            $records[-1].RecordType | Should -Be 'Completed'
        }

        It 'tells images arrived of those expected while streaming' {
            Add-FakeFault $Fake @{ holdAfterEvents = 1 }
            $ps = [powershell]::Create()
            try {
                $null = $ps.AddScript("Import-Module '$script:SeedreamManifest'; `$ProgressPreference = 'Continue'; New-SeedreamImage -Prompt 'held' -MaxImages 3 -Stream")
                $async = $ps.BeginInvoke()
                # While the fake holds the stream after one image, the progress must say so.
                $deadline = [DateTime]::UtcNow.AddSeconds(20)
                while (-not ($ps.Streams.Progress | Where-Object StatusDescription -Match '\b1 of up to 3 image') -and [DateTime]::UtcNow -lt $deadline) {
                    Start-Sleep -Milliseconds 50
                }
                $heldStatus = @($ps.Streams.Progress | Where-Object StatusDescription -Match '\b1 of up to 3 image')
                $eventsWhileHeld = (Get-OnlyGenerate)[0].eventsSent
                Send-FakeRelease $Fake
                $output = $ps.EndInvoke($async)
            }
            finally { $ps.Dispose() }
            $heldStatus | Should -Not -BeNullOrEmpty
            $eventsWhileHeld | Should -Be 1
            $output | Should -HaveCount 3
        }

        It 'Save-SeedreamResult shows files done and download bytes, then completes' {
            $folder = Join-Path $TestDrive 'progress'
            $run = Invoke-WithProgress "New-SeedreamImage -Prompt 'p' -MaxImages 2 | Save-SeedreamResult -Path '$folder'"
            $run.Errors | Should -BeNullOrEmpty
            $records = $run.Progress | Where-Object Activity -Like 'Seedream: saving*'
            $records.Count | Should -BeGreaterThan 1
            ($records.StatusDescription -join "`n") | Should -Match 'of \d+ file\(s\) saved'
            $records[-1].RecordType | Should -Be 'Completed'
            (Get-ChildItem $folder).Count | Should -Be 2
        }

        It 'follows $ProgressPreference' {
            $run = Invoke-WithProgress "New-SeedreamImage -Prompt 'quiet' | Save-SeedreamResult -Path '$(Join-Path $TestDrive quiet)'" -Preference SilentlyContinue
            $run.Errors | Should -BeNullOrEmpty
            $run.Progress | Should -BeNullOrEmpty
        }
    }
}
