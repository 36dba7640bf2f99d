# The counting of build.ps1 -Task Test (.build/TestCounts.ps1) on a temporary copy of the repository with planted
# failures: a fact that crashes the test host (Environment.FailFast) and Pester files that fail to load, whose setup
# fails, or whose tests end Inconclusive. Then on planted trx files for what a real run cannot be made to do on demand.
Describe 'Test counting' {
    BeforeAll {
        $repo = Resolve-Path (Join-Path $PSScriptRoot '../..')
        $script:Copy = Join-Path ([IO.Path]::GetTempPath()) "seedream-counts-$([guid]::NewGuid().ToString('N'))"
        $null = New-Item -ItemType Directory -Path $Copy
        # What the xUnit project builds from, without bin/obj, and the two counting scripts.
        foreach ($folder in 'src/Seedream', 'tests/Seedream.Tests', 'tests/Seedream.FakeApi', '.build') {
            $target = Join-Path $Copy $folder
            $null = New-Item -ItemType Directory -Path $target -Force
            Get-ChildItem (Join-Path $repo $folder) -Recurse -File |
                Where-Object { $_.FullName.Substring((Join-Path $repo $folder).Length) -notmatch '[\\/](bin|obj)[\\/]' } |
                ForEach-Object {
                    $destination = Join-Path $target $_.FullName.Substring((Join-Path $repo $folder).Length + 1)
                    $null = New-Item -ItemType Directory -Path (Split-Path $destination) -Force
                    Copy-Item -LiteralPath $_.FullName -Destination $destination
                }
        }
        Copy-Item (Join-Path $repo 'Directory.Build.props') $Copy
        $null = New-Item -ItemType Directory -Path (Join-Path $Copy 'tests/Pester')
        Copy-Item (Join-Path $repo 'tests/Pester/Invoke-PesterSuite.ps1') (Join-Path $Copy 'tests/Pester')
        Set-Content (Join-Path $Copy 'tests/Seedream.Tests/PlantedCrashTests.cs') @'
namespace Seedream.Tests;

public class PlantedCrashTests
{
    [Fact]
    public void TakesTheHostDown() => System.Environment.FailFast("planted crash");
}
'@
        # Planted Pester files in a folder of their own: 1 passes, 1 is skipped, 1 ends Inconclusive, 2 sit under a
        # BeforeAll that throws, 3 sit in a file that does not parse, 2 in a file that throws during discovery.
        $script:Planted = Join-Path $Copy 'planted'
        $null = New-Item -ItemType Directory -Path $Planted
        Set-Content (Join-Path $Planted 'Mixed.Tests.ps1') @'
Describe 'mixed' {
    It 'passes' { 1 | Should -Be 1 }
    It 'is skipped' -Skip { 1 | Should -Be 2 }
    It 'is inconclusive' { Set-ItResult -Inconclusive -Because 'planted' }
}
Describe 'setup fails' {
    BeforeAll { throw 'planted setup failure' }
    It 'one' { 1 | Should -Be 1 }
    Context 'inner' { It 'two' { 1 | Should -Be 1 } }
}
'@
        Set-Content (Join-Path $Planted 'DoesNotParse.Tests.ps1') @'
Describe 'does not parse' {
    It 'a' { 1 | Should -Be 1 }
    It 'b' { 1 | Should -Be 1
    It 'c' { 1 | Should -Be 1 }
}
'@
        Set-Content (Join-Path $Planted 'ThrowsInDiscovery.Tests.ps1') @'
throw 'planted discovery failure'
Describe 'never discovered' {
    It 'a' { }
    It 'b' { }
}
'@
        . (Join-Path $Copy '.build/TestCounts.ps1')

        function New-Trx([string] $Outcome, [string[]] $Results, [int] $Total = $Results.Count, [switch] $Crashed) {
            $rows = foreach ($result in $Results) {
                $name, $resultOutcome = $result -split '=', 2
                "<UnitTestResult testName=`"$name`" outcome=`"$resultOutcome`" />"
            }
            $info = if ($Crashed) { '<RunInfos><RunInfo outcome="Error"><Text>The active test run was aborted. Reason: Test host process crashed</Text></RunInfo></RunInfos>' }
            $path = Join-Path $Copy "planted-$([guid]::NewGuid().ToString('N')).trx"
            Set-Content $path @"
<?xml version="1.0" encoding="utf-8"?>
<TestRun xmlns="http://microsoft.com/schemas/VisualStudio/TeamTest/2010">
  <Results>$($rows -join '')</Results>
  <ResultSummary outcome="$Outcome"><Counters total="$Total" />$info</ResultSummary>
</TestRun>
"@
            $path
        }
    }

    AfterAll {
        Remove-Item $Copy -Recurse -Force -ErrorAction SilentlyContinue
    }

    It 'a fact that crashes the test host fails the xUnit count, and every test it kept from running counts as failed' {
        $results = Join-Path $Copy 'results'
        $count = Invoke-XunitSuite -Project (Join-Path $Copy 'tests/Seedream.Tests/Seedream.Tests.csproj') -ResultsDirectory $results -Quiet

        $count.Problems -match 'Test host process crashed' | Should -Not -BeNullOrEmpty
        $count.Problems -match 'never reported a result' | Should -Not -BeNullOrEmpty
        $count.Discovered | Should -BeGreaterThan 800
        $count.Passed | Should -BeLessThan $count.Discovered
        # Not one discovered test goes unaccounted: what did not pass failed (the crashing fact among them).
        ($count.Passed + $count.Failed + $count.Skipped) | Should -BeGreaterOrEqual $count.Discovered
        $count.Failed | Should -BeGreaterOrEqual ($count.Discovered - $count.Passed - $count.Skipped)

        $lines = @(Write-TestCounts -Counts $count 6>&1 3>$null | Where-Object { $_ -is [Management.Automation.InformationRecord] } | ForEach-Object { "$_" })
        $lines[-1] | Should -Be "$($count.Passed) passed, $($count.Failed) failed"
        $lines[-2] | Should -Be '0 skipped'
    }

    It 'a Pester file that fails to load counts each of its tests; a failed BeforeAll and Inconclusive count as failures' {
        $summary = Join-Path $Copy 'pester.json'
        $pwsh = [Environment]::ProcessPath
        $arguments = @()
        if ((Split-Path $pwsh -Leaf) -like 'dotnet*') { $arguments += Join-Path $PSHOME 'pwsh.dll' }
        $arguments += '-NoProfile', '-NonInteractive', '-File', (Join-Path $Copy 'tests/Pester/Invoke-PesterSuite.ps1'),
            '-PesterManifest', (Get-Module Pester).Path, '-ModulePath', $Copy, '-FakeApiPath', $Copy,
            '-SummaryPath', $summary, '-Path', $Planted
        $null = & $pwsh @arguments
        $count = Read-PesterCount -SummaryPath $summary -ExitCode $LASTEXITCODE

        $count.Passed | Should -Be 1
        $count.Skipped | Should -Be 1
        # 1 Inconclusive + 2 under the failed BeforeAll + 3 in the file that does not parse + 2 in the one that throws.
        $count.Failed | Should -Be 8
        $count.Discovered | Should -Be 10
        $count.Counted | Should -Be 5
        $count.Problems -match 'DoesNotParse.Tests.ps1 failed to load.*3 tests' | Should -Not -BeNullOrEmpty
        $count.Problems -match 'ThrowsInDiscovery.Tests.ps1 failed to load.*2 tests' | Should -Not -BeNullOrEmpty

        $lines = @(Write-TestCounts -Counts $count 6>&1 3>$null | Where-Object { $_ -is [Management.Automation.InformationRecord] } | ForEach-Object { "$_" })
        $lines[-1] | Should -Be '1 passed, 8 failed'
        $lines[-2] | Should -Be '1 skipped'
        $lines[-3] | Should -Be 'Pester: 1 passed, 8 failed, 1 skipped (10 discovered, 5 reported).'
    }

    It 'a trx whose outcome is <Outcome> fails even with every result passed' -ForEach @(
        @{ Outcome = 'Aborted' }, @{ Outcome = 'Error' }, @{ Outcome = 'Timeout' }, @{ Outcome = 'Failed' }
    ) {
        $count = Get-XunitCount -TrxPath (New-Trx $Outcome 'A.B.One=Passed', 'A.B.Two=Passed') -ExitCode 0 -Listed 'A.B.One', 'A.B.Two'
        $count.Passed | Should -Be 2
        $count.Failed | Should -Be 1
    }

    It 'a non-zero exit code fails a run whose trx says Completed' {
        $count = Get-XunitCount -TrxPath (New-Trx 'Completed' 'A.B.One=Passed') -ExitCode 1 -Listed 'A.B.One'
        $count.Failed | Should -Be 1
        $count.Problems | Should -Be 'dotnet test exited with code 1'
    }

    It 'counts a result that is neither passed nor skipped as failed, and lists the skipped' {
        $trx = New-Trx 'Failed' 'A.B.P=Passed', 'A.B.S=NotExecuted', 'A.B.I=Inconclusive', 'A.B.T=Timeout', 'A.B.N=NotRunnable'
        $count = Get-XunitCount -TrxPath $trx -ExitCode 1 -Listed 'A.B.P', 'A.B.S', 'A.B.I', 'A.B.T', 'A.B.N'
        $count.Passed | Should -Be 1
        $count.Skipped | Should -Be 1
        $count.Failed | Should -Be 3
        $count.Problems | Should -BeNullOrEmpty
    }

    It 'a listed theory row set with no result fails once per listed row; rows of a method that ran are matched by method' {
        $trx = New-Trx 'Completed' 'A.B.Theory(x: 1)=Passed', 'A.B.Theory(x: 2)=Passed' -Crashed
        $count = Get-XunitCount -TrxPath $trx -ExitCode 1 -Listed 'A.B.Theory(x: 1)', 'A.B.Theory(x: "trunc···)', 'A.B.Lost(x: 1)', 'A.B.Lost(x: 2)'
        $count.Passed | Should -Be 2
        $count.Discovered | Should -Be 4
        # Two rows of A.B.Lost never reported, and the crash itself.
        $count.Failed | Should -Be 3
    }

    It 'trx counters that disagree with the results fail' {
        $count = Get-XunitCount -TrxPath (New-Trx 'Completed' 'A.B.One=Passed' -Total 5) -ExitCode 0 -Listed 'A.B.One'
        $count.Failed | Should -Be 1
        $count.Problems | Should -Match 'counters say 5 tests'
    }

    It 'a missing trx fails as many tests as were listed' {
        $count = Get-XunitCount -TrxPath (Join-Path $Copy 'none.trx') -ExitCode 1 -Listed 'A.B.One', 'A.B.Two', 'A.B.Three'
        $count.Failed | Should -Be 3
    }

    It 'a missing Pester summary fails' {
        $count = Read-PesterCount -SummaryPath (Join-Path $Copy 'none.json') -ExitCode 0
        $count.Failed | Should -Be 1
    }
}
