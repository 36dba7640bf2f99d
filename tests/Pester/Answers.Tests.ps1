# What reaches the result objects is what the server answered, never what was asked: the fake chooses the size
# (WxH rounded to multiples of 16, or a size the test sets), states a created stamp the test fixes, and names,
# indexes and orders its stream events in the ways the contract allows (Set-FakeAnswer, /_control/answers).
Describe 'Answers' {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'TestSetup.ps1')
        # An hour ago, whole seconds: hosted links still live, and never the moment the answer arrived.
        $script:Stamp = [DateTimeOffset]::UtcNow.AddHours(-1).ToUnixTimeSeconds()
        $script:Created = [DateTimeOffset]::FromUnixTimeSeconds($Stamp)
    }
    AfterAll { . (Join-Path $PSScriptRoot 'TestTeardown.ps1') }
    BeforeEach { Reset-FakeSeedreamApi $Fake }

    It 'Size, Width and Height are the answer''s (<Format>), not the request''s' -ForEach @(
        @{ Format = 'Url' }, @{ Format = 'Base64Json' }
    ) {
        Set-FakeAnswer $Fake -Size '2496x1664'
        $image = New-SeedreamImage -Prompt 'a harbour' -Size 2048x2048 -ResponseFormat $Format
        (Get-FakeRequest $Fake -Target generate).body.size | Should -Be '2048x2048'
        $image.Size | Should -Be '2496x1664'
        $image.Width | Should -Be 2496
        $image.Height | Should -Be 1664
    }

    It 'a WxH the server rounds comes back rounded' {
        $image = New-SeedreamImage -Prompt 'a harbour' -Size 2500x1500
        (Get-FakeRequest $Fake -Target generate).body.size | Should -Be '2500x1500'
        $image.Size | Should -Be '2496x1504'
        $image.Width | Should -Be 2496
        $image.Height | Should -Be 1504
    }

    It 'Created is the answer''s created, and a hosted link expires 24 hours after it (<Mode>)' -ForEach @(
        @{ Mode = 'whole' }, @{ Mode = 'stream' }
    ) {
        Set-FakeAnswer $Fake -Created $Stamp
        $images = @(New-SeedreamImage -Prompt 'a harbour' -MaxImages 2 -Stream:($Mode -eq 'stream'))
        $images | Should -HaveCount 2
        foreach ($image in $images) {
            $image.Created | Should -Be $Created
            $image.ExpiresAt | Should -Be $Created.AddHours(24)
        }
    }

    It 'stream events named <Naming> give every image its own slot' -ForEach @(
        @{ Naming = 'Both' }, @{ Naming = 'NameOnly' }, @{ Naming = 'TypeOnly' }, @{ Naming = 'GatewayType' }
    ) {
        Set-FakeAnswer $Fake -Naming $Naming -Size '2496x1664'
        $images = @(New-SeedreamImage -Prompt 'three scenes' -MaxImages 3 -Stream)
        $images | Should -HaveCount 3
        $images.Index | Should -Be @(0, 1, 2)
        $images.Size | Should -Be @('2496x1664', '2496x1664', '2496x1664')
    }

    It 'stream images that arrive last slot first keep their image_index' {
        Set-FakeAnswer $Fake -Reversed
        $images = @(New-SeedreamImage -Prompt 'three scenes' -MaxImages 3 -Stream)
        # Each is written as it arrives, so the order is the stream's; the index is the server's.
        $images.Index | Should -Be @(2, 1, 0)
    }

    It 'stream images without image_index take the order they came in' {
        Set-FakeAnswer $Fake -NoImageIndex -Naming NameOnly
        $images = @(New-SeedreamImage -Prompt 'three scenes' -MaxImages 3 -Stream)
        $images.Index | Should -Be @(0, 1, 2)
    }
}
