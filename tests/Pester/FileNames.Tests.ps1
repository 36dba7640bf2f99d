# Issue 14, file names: one Save-SeedreamResult call never writes two images to one name (also with -Force and
# -ThrottleLimit), concurrent saves to one name are handled, case-only differences follow the platform, template tokens
# are checked and tab-complete, a template's extension is not doubled, default names stay unique without a request id,
# and a write failure names the final file.
Describe 'File names' {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'TestSetup.ps1')
        . (Join-Path $PSScriptRoot 'ReliabilityHelpers.ps1')
        $script:Root = Join-Path ([IO.Path]::GetTempPath()) ("seedream-names-" + [guid]::NewGuid().ToString('N'))
        $null = New-Item -ItemType Directory -Path $Root

        # Inline PNG results with distinct bytes (the fake draws the same picture for the same prompt).
        function New-InlineResult([int] $Width, [string] $Prompt = 'same prompt', [string] $RequestId) {
            $file = New-TestImageFile -Path (Join-Path $Root ("src-" + [guid]::NewGuid().ToString('N') + '.png')) -Width $Width -Height 20
            $bytes = [IO.File]::ReadAllBytes($file.FullName)
            Remove-Item -LiteralPath $file.FullName
            [Seedream.SeedreamImage]@{
                Index = 0; Model = 'seedream-5-0-260128'; Prompt = $Prompt; OutputFormat = 'png'; Width = $Width; Height = 20
                Created = [DateTimeOffset]::new(2026, 12, 1, 8, 30, 0, [TimeSpan]::Zero); ImageBytes = $bytes; RequestId = $RequestId
            }
        }
        function New-Folder { $path = Join-Path $Root ([guid]::NewGuid().ToString('N')); $null = New-Item -ItemType Directory -Path $path; $path }
        function Get-Names([string] $Folder) { @(Get-ChildItem -LiteralPath $Folder -Force | Sort-Object Name | ForEach-Object Name) }
        # These tests are about names: the images are saved as received, with no provenance record in or beside them.
        $PSDefaultParameterValues['Save-SeedreamResult:NoProvenance'] = $true
    }
    AfterAll {
        $PSDefaultParameterValues.Remove('Save-SeedreamResult:NoProvenance')
        Remove-Item -LiteralPath $Root -Recurse -Force -ErrorAction SilentlyContinue
        . (Join-Path $PSScriptRoot 'TestTeardown.ps1')
    }
    BeforeEach { Reset-FakeSeedreamApi $Fake }

    Context 'Names one call makes never collide' {
        It 'writes three images to -NameTemplate shot as shot, shot-2 and shot-3, each with its own bytes (<Case>)' -ForEach @(
            @{ Case = 'one at a time'; Extra = @{} }
            @{ Case = '-ThrottleLimit 3'; Extra = @{ ThrottleLimit = 3 } }
            @{ Case = '-Force'; Extra = @{ Force = $true } }
        ) {
            $folder = New-Folder
            $images = 41, 42, 43 | ForEach-Object { New-InlineResult -Width $_ }
            $files = $images | Save-SeedreamResult -Path $folder -NameTemplate shot -PassThru @Extra -ErrorVariable failures
            $failures | Should -BeNullOrEmpty
            @($files.Name) | Should -Be @('shot.png', 'shot-2.png', 'shot-3.png')
            Get-Names $folder | Should -Be @('shot-2.png', 'shot-3.png', 'shot.png')
            for ($i = 0; $i -lt 3; $i++) { [IO.File]::ReadAllBytes($files[$i].FullName) | Should -Be $images[$i].ImageBytes }
        }

        It 'gives three downloaded images of one request distinct names, in input order' {
            $folder = New-Folder
            $files = New-SeedreamImage -Prompt 'three' -MaxImages 3 | Save-SeedreamResult -Path $folder -NameTemplate 'scene' -ThrottleLimit 3 -PassThru
            @($files.Name) | Should -Be @('scene.jpg', 'scene-2.jpg', 'scene-3.jpg')
            @(Get-FakeRequest $Fake -Target download) | Should -HaveCount 3
        }

        It 'with -Force, overwrites the files of an earlier call but never a sibling of the same call' {
            $folder = New-Folder
            $first = 41, 42 | ForEach-Object { New-InlineResult -Width $_ }
            $null = $first | Save-SeedreamResult -Path $folder -NameTemplate shot
            $second = 51, 52 | ForEach-Object { New-InlineResult -Width $_ }
            $files = $second | Save-SeedreamResult -Path $folder -NameTemplate shot -Force -PassThru
            Get-Names $folder | Should -Be @('shot-2.png', 'shot.png')
            [IO.File]::ReadAllBytes($files[0].FullName) | Should -Be $second[0].ImageBytes
            [IO.File]::ReadAllBytes($files[1].FullName) | Should -Be $second[1].ImageBytes
        }

        It 'without -Force, reports only the files an earlier call left, never one it wrote itself' {
            $folder = New-Folder
            $null = New-InlineResult -Width 41 | Save-SeedreamResult -Path $folder -NameTemplate shot
            $files = 51, 52 | ForEach-Object { New-InlineResult -Width $_ } |
                Save-SeedreamResult -Path $folder -NameTemplate shot -PassThru -ErrorVariable failures -ErrorAction SilentlyContinue
            @($failures) | Should -HaveCount 1
            $failures[0].FullyQualifiedErrorId | Should -BeLike 'Seedream.FileExists,*'
            $failures[0].Exception.Message | Should -Match "shot\.png' already exists"
            @($files.Name) | Should -Be @('shot-2.png')
        }

        It '-WhatIf names the distinct files it would write' {
            # What if lines go to the host: read them from a child pwsh's captured output.
            $folder = Join-Path $Root ([guid]::NewGuid().ToString('N'))
            $exe = [Environment]::ProcessPath
            $arguments = @(if ((Split-Path $exe -Leaf) -like 'dotnet*') { Join-Path $PSHOME 'pwsh.dll' })
            $module = (Get-Module Seedream).ModuleBase
            $script = "`$ProgressPreference = 'SilentlyContinue'; Import-Module '$module'; New-SeedreamImage -Prompt two -MaxImages 2 | Save-SeedreamResult -Path '$folder' -NameTemplate shot -WhatIf"
            $said = (& $exe @arguments -NoProfile -NonInteractive -Command $script 2>&1 | ForEach-Object { "$_" }) -join "`n"
            Test-Path -LiteralPath $folder | Should -BeFalse
            $said | Should -Match ([regex]::Escape('"' + (Join-Path $folder 'shot.jpg') + '"'))
            $said | Should -Match ([regex]::Escape('"' + (Join-Path $folder 'shot-2.jpg') + '"'))
            @(Get-FakeRequest $Fake -Target download) | Should -HaveCount 0
        }

        It 'counts names that differ only in case as one name on Windows and macOS, and as two on Linux' {
            $folder = New-Folder
            $images = @((New-InlineResult -Width 41 -Prompt 'Cat'), (New-InlineResult -Width 42 -Prompt 'cat'))
            $files = $images | Save-SeedreamResult -Path $folder -NameTemplate '{prompt}' -PassThru
            if ($IsLinux) { @($files.Name) | Should -BeExactly @('Cat.png', 'cat.png') }
            else { @($files.Name) | Should -BeExactly @('Cat.png', 'cat-2.png') }
            for ($i = 0; $i -lt 2; $i++) { [IO.File]::ReadAllBytes($files[$i].FullName) | Should -Be $images[$i].ImageBytes }
        }

        It 'handles two saves running at once to one final name: one file, and the other call says it exists (<Case>)' -ForEach @(
            @{ Case = 'without -Force'; Force = $false }
            @{ Case = 'with -Force'; Force = $true }
        ) {
            $folder = New-Folder
            $images = @(New-SeedreamImage -Prompt 'race one'; New-SeedreamImage -Prompt 'race two')
            $images | Should -HaveCount 2 -Because 'each save in the race needs its own image'
            Add-FakeFault $Fake @{ target = 'download'; stallAfterBytes = 100; times = 2 }
            $script = '$args[0] | Save-SeedreamResult -Path $args[1] -NameTemplate same -Force:$args[2] -NoProvenance'
            $runs = foreach ($image in $images) {
                $ps = New-ChildPowerShell -Script $script -ProgressPreference SilentlyContinue
                $null = $ps.AddArgument($image).AddArgument($folder).AddArgument($Force)
                [pscustomobject]@{ PowerShell = $ps; Async = $ps.BeginInvoke() }
            }
            try {
                # Both downloads are under way (each call found the name free) before either is let go.
                Wait-Until { @(Get-FakeRequest $Fake -Target download).Count -eq 2 }
                while (@($runs | Where-Object { -not $_.Async.IsCompleted }).Count -gt 0) { Send-FakeRelease $Fake; Start-Sleep -Milliseconds 100 }
                $errors = foreach ($run in $runs) { $null = $run.PowerShell.EndInvoke($run.Async); $run.PowerShell.Streams.Error }
            }
            finally { foreach ($run in $runs) { $run.PowerShell.Dispose() } }
            Get-Names $folder | Should -Be @('same.jpg') -Because 'no temporary file is left behind either'
            if ($Force) { @($errors) | Should -BeNullOrEmpty }
            else {
                @($errors) | Should -HaveCount 1
                $errors[0].FullyQualifiedErrorId | Should -BeLike 'Seedream.FileExists,*'
            }
        }
    }

    Context 'Templates' {
        It 'refuses <Template> before anything is saved, naming the known tokens' -ForEach @(
            @{ Template = '{date}'; Hint = '' }
            @{ Template = 'shot-{Index}'; Hint = ' \(tokens are lower-case: \{index\}\)' }
            @{ Template = '{ID}-{index}'; Hint = ' \(tokens are lower-case: \{id\}\)' }
            @{ Template = '{}'; Hint = '' }
        ) {
            $folder = Join-Path $Root ([guid]::NewGuid().ToString('N'))
            $refusal = Get-Refusal { New-SeedreamImage -Prompt 'x' | Save-SeedreamResult -Path $folder -NameTemplate $Template }
            $refusal.FullyQualifiedErrorId | Should -BeLike 'Seedream.InvalidParameter,*'
            $token = [regex]::Match($Template, '\{[^{}]*\}').Value
            $refusal.Exception.Message | Should -Match ("^Parameter -NameTemplate: '" + [regex]::Escape($token) + "' is not a name template token$Hint; the tokens are \{created\} \{id\} \{index\} \{model\} \{prompt\} \{width\} \{height\} \{z\} \{layer\}\.$")
            Test-Path -LiteralPath $folder | Should -BeFalse
            @(Get-FakeRequest $Fake -Target download) | Should -HaveCount 0
        }

        It 'does not double an extension in the template: <Template> on a <Format> image gives <Name>' -ForEach @(
            @{ Template = 'pic.jpg'; Format = 'jpeg'; Name = 'pic.jpg' }
            @{ Template = 'pic.JPEG'; Format = 'jpeg'; Name = 'pic.jpg' }
            @{ Template = 'pic.png'; Format = 'jpeg'; Name = 'pic.jpg' }
            @{ Template = 'pic.png'; Format = 'png'; Name = 'pic.png' }
            @{ Template = 'v1.2-{index}'; Format = 'jpeg'; Name = 'v1.2-0.jpg' }
        ) {
            $folder = New-Folder
            $arguments = @{ Prompt = 'extension'; ResponseFormat = 'Base64Json' }
            if ($Format -eq 'png') { $arguments.OutputFormat = 'Png' }
            $file = New-SeedreamImage @arguments | Save-SeedreamResult -Path $folder -NameTemplate $Template -PassThru
            $file.Name | Should -BeExactly $Name
        }

        It 'completes the tokens on Tab: <Typed>' -ForEach @(
            @{ Typed = ''; Expect = @("'{created}'", "'{index}'", "'{prompt}'", "'seedream-{created}-{id}-{index}'") }
            @{ Typed = 'scene-'; Expect = @("'scene-{index}'", "'scene-{width}'") }
            @{ Typed = "'scene-{in"; Expect = @("'scene-{index}'") }
            @{ Typed = '"scene-{he'; Expect = @("'scene-{height}'") }
            @{ Typed = "'{model}-{w"; Expect = @("'{model}-{width}'") }
        ) {
            $line = "Save-SeedreamResult -NameTemplate $Typed"
            $completions = @((TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText)
            foreach ($text in $Expect) { $completions | Should -Contain $text }
            if ($Typed -match '\{\w+$') { $completions | Should -HaveCount $Expect.Count }
        }
    }

    Context 'Default names' {
        It 'stay unique for inline results without a request id made from the same prompt in the same second' {
            $folder = New-Folder
            $first = New-InlineResult -Width 41
            $second = New-InlineResult -Width 42
            $first.RequestId | Should -BeNullOrEmpty
            $a = $first | Save-SeedreamResult -Path $folder -PassThru
            $b = $second | Save-SeedreamResult -Path $folder -PassThru -ErrorVariable failures
            $failures | Should -BeNullOrEmpty -Because 'two different images must not be taken for one that already exists'
            $a.Name | Should -Not -Be $b.Name
            $a.Name | Should -Match '^seedream-20261201-083000-[0-9a-f]{6}-0\.png$'
        }

        It 'stay the same for the same request id, so -Force replaces the file of an earlier save' {
            $folder = New-Folder
            $a = New-InlineResult -Width 41 -RequestId 'req-1' | Save-SeedreamResult -Path $folder -PassThru
            $b = New-InlineResult -Width 42 -RequestId 'req-1' | Save-SeedreamResult -Path $folder -PassThru -Force
            $b.Name | Should -Be $a.Name
        }
    }

    Context 'Write failures' {
        It 'a folder that cannot be written: the error names the final file, never the hidden temporary' {
            $folder = $null
            if ($IsWindows) {
                $folder = New-Folder
                $acl = Get-Acl -LiteralPath $folder
                $rule = [System.Security.AccessControl.FileSystemAccessRule]::new([Security.Principal.WindowsIdentity]::GetCurrent().Name, 'CreateFiles, WriteData', 'Deny')
                $acl.AddAccessRule($rule)
                Set-Acl -LiteralPath $folder -AclObject $acl
            }
            elseif ((id -u) -ne '0') {
                $folder = New-Folder
                [IO.File]::SetUnixFileMode($folder, [IO.UnixFileMode]'UserRead, UserExecute')
            }
            elseif (Test-Path -LiteralPath '/sys/kernel' -PathType Container) {
                $folder = '/sys/kernel' # root ignores file modes; sysfs refuses new files even to root
            }
            if (-not $folder) { Set-ItResult -Skipped -Because 'this machine offers no folder the current user cannot write'; return }
            try {
                $failure = { New-InlineResult -Width 41 | Save-SeedreamResult -Path $folder -NameTemplate 'blocked' -ErrorAction Stop } | Should -Throw -PassThru
                $failure.FullyQualifiedErrorId | Should -BeLike 'Seedream.WriteFailed,*'
                $failure.Exception.Message | Should -Match ("^Cannot write '" + [regex]::Escape((Join-Path $folder 'blocked.png')) + "'")
                $failure.Exception.Message | Should -Not -Match '\.partial'
                Test-Path -LiteralPath (Join-Path $folder 'blocked.png') | Should -BeFalse
            }
            finally {
                if ($IsWindows) { $acl = Get-Acl -LiteralPath $folder; $null = $acl.RemoveAccessRule($rule); Set-Acl -LiteralPath $folder -AclObject $acl }
                elseif ($folder -like "$Root*") { [IO.File]::SetUnixFileMode($folder, [IO.UnixFileMode]'UserRead, UserWrite, UserExecute') }
            }
        }
    }
}
