<#
.SYNOPSIS
    Counting that cannot under-report: the xUnit run (trx, exit code, discovered tests), the Pester run (every container,
    every test, setup and teardown failures) and the closing lines of build.ps1 -Task Test.
.DESCRIPTION
    Dot-sourced by build.ps1 and by tests/Pester/Invoke-PesterSuite.ps1; tests/Pester/TestCounts.Tests.ps1 tests it on
    planted results and on a real run of a copy of the repository with a crashing fact and a broken Pester file.
    Each count is [pscustomobject] @{ Name; Passed; Failed; Skipped; Discovered; Counted; Problems }: a test is failed
    unless it passed or was skipped (NotRun, Inconclusive, Timeout, Aborted, ... are failures), every problem of the run
    itself (a host that crashed, a result that is not Completed, a non-zero exit code, tests discovered but never
    reported) adds at least one failure, and Counted (passed + failed + skipped tests) is compared with Discovered.
#>

function New-TestCount([string] $Name) {
    [pscustomobject]@{ Name = $Name; Passed = 0; Failed = 0; Skipped = 0; Discovered = 0; Counted = 0; Problems = [Collections.Generic.List[string]]::new() }
}

function Add-TestProblem($Count, [string] $Problem, [int] $Failures = 1) {
    $Count.Problems.Add($Problem)
    $Count.Failed += [Math]::Max(1, $Failures)
}

function Get-TestMethodName([string] $Name) {
    # 'Namespace.Class.Method(arg: 1)' -> 'Namespace.Class.Method'; a theory's rows share their method's name.
    $paren = $Name.IndexOf('(')
    if ($paren -ge 0) { $Name.Substring(0, $paren) } else { $Name }
}

function Get-XunitCount {
    <#
    .SYNOPSIS
        Counts one xUnit run from its trx, its exit code and the tests discovery listed (dotnet test --list-tests).
    .PARAMETER Listed
        The test names --list-tests printed. Matched by method (theory rows and display-name truncation differ between the
        listing and the trx): every row of a listed method that has no result at all is counted as a failure.
    #>
    param(
        [Parameter(Mandatory)] [string] $TrxPath,
        [Parameter(Mandatory)] [int] $ExitCode,
        [string[]] $Listed = @()
    )
    $count = New-TestCount 'xUnit'
    if (-not (Test-Path -LiteralPath $TrxPath)) {
        Add-TestProblem $count 'dotnet test wrote no trx' ([Math]::Max(1, $Listed.Count))
        $count.Discovered = $Listed.Count
        return $count
    }
    $trx = [xml](Get-Content -LiteralPath $TrxPath -Raw)
    $ns = [Xml.XmlNamespaceManager]::new($trx.NameTable)
    $ns.AddNamespace('t', $trx.DocumentElement.NamespaceURI)
    $ran = [Collections.Generic.HashSet[string]]::new([StringComparer]::Ordinal)
    foreach ($result in $trx.SelectNodes('//t:Results/t:UnitTestResult', $ns)) {
        $null = $ran.Add((Get-TestMethodName $result.GetAttribute('testName')))
        switch ($result.GetAttribute('outcome')) {
            'Passed' { $count.Passed++ }
            'NotExecuted' { $count.Skipped++ }   # xUnit's skipped tests
            default { $count.Failed++ }          # Failed, Error, Timeout, Aborted, Inconclusive, NotRunnable, ...
        }
    }
    $count.Counted = $count.Passed + $count.Failed + $count.Skipped

    $summary = $trx.SelectSingleNode('//t:ResultSummary', $ns)
    $outcome = if ($summary) { $summary.GetAttribute('outcome') } else { '(none)' }
    $counters = $trx.SelectSingleNode('//t:ResultSummary/t:Counters', $ns)
    $total = if ($counters) { [int]$counters.GetAttribute('total') } else { 0 }
    if ($total -ne $count.Counted) { Add-TestProblem $count "the trx counters say $total tests, its results hold $($count.Counted)" }

    $notRun = @($Listed | Where-Object { -not $ran.Contains((Get-TestMethodName $_)) })
    $count.Discovered = $count.Counted + $notRun.Count
    if ($notRun.Count -gt 0) {
        Add-TestProblem $count "$($notRun.Count) discovered tests never reported a result (first: $($notRun[0]))" $notRun.Count
    }
    foreach ($info in $trx.SelectNodes('//t:RunInfos/t:RunInfo[@outcome="Error"]', $ns)) {
        $text = $info.SelectSingleNode('t:Text', $ns)
        Add-TestProblem $count "the run says: $(if ($text) { ($text.InnerText -split "`n")[0].Trim() } else { 'error' })"
    }
    if ($outcome -eq 'Failed' -and $count.Failed -eq 0) {
        Add-TestProblem $count 'the run failed with no failed test (the test host crashed or aborted)'
    }
    elseif ($outcome -notin 'Completed', 'Failed') {
        Add-TestProblem $count "the run's outcome is '$outcome', not Completed"
    }
    if ($ExitCode -ne 0 -and $count.Failed -eq 0) { Add-TestProblem $count "dotnet test exited with code $ExitCode" }
    if ($count.Discovered -eq 0) { Add-TestProblem $count 'no test was discovered' }
    $count
}

function Invoke-XunitSuite {
    <#
    .SYNOPSIS
        Runs dotnet test on one project, lists its tests without rebuilding, and counts the run with Get-XunitCount.
    #>
    param(
        [Parameter(Mandatory)] [string] $Project,
        [Parameter(Mandatory)] [string] $ResultsDirectory,
        [string] $Configuration = 'Release',
        [string] $TrxName = 'xunit.trx',
        # Keeps dotnet test's own output off the host (the counting test's nested run).
        [switch] $Quiet
    )
    $test = @('test', $Project, '-c', $Configuration, '--nologo', '--logger', "trx;LogFileName=$TrxName",
        '--logger', 'console;verbosity=minimal', '--results-directory', $ResultsDirectory)
    if ($Quiet) { & dotnet @test | Out-Null } else { & dotnet @test | Out-Host }
    $exitCode = $LASTEXITCODE
    $listing = & dotnet test $Project -c $Configuration --no-build --nologo --list-tests 2>&1
    $listed = @($listing | ForEach-Object { "$_" } | Where-Object { $_ -match '^    \S' } | ForEach-Object { $_.Trim() })
    $count = Get-XunitCount -TrxPath (Join-Path $ResultsDirectory $TrxName) -ExitCode $exitCode -Listed $listed
    if ($LASTEXITCODE -ne 0 -or $listed.Count -eq 0) { Add-TestProblem $count 'dotnet test --list-tests listed nothing' }
    $count
}

function Get-PesterItCount([string] $Path) {
    # The It blocks of a file whose discovery failed: from its syntax tree where it parses that far, else from its text.
    if (-not $Path -or -not (Test-Path -LiteralPath $Path -PathType Leaf)) { return 0 }
    $tokens = $errors = $null
    $ast = [Management.Automation.Language.Parser]::ParseFile($Path, [ref] $tokens, [ref] $errors)
    $fromAst = @($ast.FindAll({ param($node) $node -is [Management.Automation.Language.CommandAst] -and $node.GetCommandName() -eq 'It' }, $true)).Count
    $fromText = [regex]::Matches((Get-Content -LiteralPath $Path -Raw), '(?im)^\s*It\s+[''"-]').Count
    [Math]::Max($fromAst, $fromText)
}

function Get-PesterBlockTests($Block) {
    foreach ($test in $Block.Tests) { $test }
    foreach ($child in $Block.Blocks) { Get-PesterBlockTests $child }
}

function Get-PesterCount {
    <#
    .SYNOPSIS
        Counts a Pester 5 run (Invoke-Pester -PassThru) container by container.
    .DESCRIPTION
        A container that failed to load counts each of its It blocks as failed (at least one); a test that did not pass
        or skip (Failed, NotRun, Inconclusive, a BeforeAll that failed) is failed; a block or container that failed while
        all its tests passed (AfterAll) adds one failure.
    #>
    param([Parameter(Mandatory)] $Result)
    $count = New-TestCount 'Pester'
    foreach ($container in $Result.Containers) {
        $item = "$($container.Item)"
        $tests = @(foreach ($block in $container.Blocks) { Get-PesterBlockTests $block })
        if ($tests.Count -eq 0) {
            if ($container.Result -ne 'Passed') {
                $its = Get-PesterItCount $item
                $count.Discovered += [Math]::Max(1, $its)
                Add-TestProblem $count "$(Split-Path $item -Leaf) failed to load ($($container.Result)): its $its tests counted as failed" $its
            }
            continue
        }
        $count.Discovered += $tests.Count
        $failedHere = 0
        foreach ($test in $tests) {
            switch ($test.Result) {
                'Passed' { $count.Passed++ }
                'Skipped' { $count.Skipped++ }
                default { $count.Failed++; $failedHere++ }
            }
        }
        $count.Counted += $tests.Count
        $blocks = @(foreach ($block in $container.Blocks) { $block; Get-PesterChildBlocks $block })
        foreach ($block in $blocks | Where-Object Result -EQ 'Failed') {
            $blockTests = @(Get-PesterBlockTests $block)
            if (-not @($blockTests | Where-Object Result -NotIn 'Passed', 'Skipped')) {
                Add-TestProblem $count "$(Split-Path $item -Leaf): block '$($block.ExpandedPath)' failed outside its tests (BeforeAll/AfterAll)"
                $failedHere++
            }
        }
        if ($container.Result -eq 'Failed' -and $failedHere -eq 0) {
            Add-TestProblem $count "$(Split-Path $item -Leaf) failed outside its tests"
        }
    }
    if ([int]$Result.TotalCount -ne $count.Counted) {
        Add-TestProblem $count "Pester reports $($Result.TotalCount) tests, its containers hold $($count.Counted)"
    }
    if ($count.Discovered -eq 0) { Add-TestProblem $count 'no test was discovered' }
    $count
}

function Get-PesterChildBlocks($Block) {
    foreach ($child in $Block.Blocks) { $child; Get-PesterChildBlocks $child }
}

function Read-PesterCount {
    <#
    .SYNOPSIS
        Reads the summary Invoke-PesterSuite.ps1 wrote; a missing summary or a non-zero exit code is a failure.
    #>
    param([Parameter(Mandatory)] [string] $SummaryPath, [Parameter(Mandatory)] [int] $ExitCode)
    $count = New-TestCount 'Pester'
    if (-not (Test-Path -LiteralPath $SummaryPath)) {
        Add-TestProblem $count 'the Pester run wrote no summary'
        return $count
    }
    $summary = Get-Content -LiteralPath $SummaryPath -Raw | ConvertFrom-Json
    foreach ($name in 'Passed', 'Failed', 'Skipped', 'Discovered', 'Counted') { $count.$name = [int]$summary.$name }
    foreach ($problem in @($summary.Problems)) { if ($problem) { $count.Problems.Add($problem) } }
    if ($ExitCode -ne 0 -and $count.Failed -eq 0) { Add-TestProblem $count "the Pester run exited with code $ExitCode" }
    $count
}

function Write-TestCounts {
    <#
    .SYNOPSIS
        Prints each suite's line (passed, failed, skipped, discovered), its problems, then the skipped total and, last,
        the plain 'N passed, N failed' line .ci/run reads. Returns the number of failures.
    #>
    param([Parameter(Mandatory)] [object[]] $Counts)
    $passed = 0
    $failed = 0
    $skipped = 0
    foreach ($count in $Counts) {
        # The executed total against the discovered one: what was discovered and is neither passed, failed nor skipped fails.
        $accounted = $count.Passed + $count.Failed + $count.Skipped
        if ($accounted -lt $count.Discovered) {
            Add-TestProblem $count "$($count.Discovered - $accounted) discovered tests are not accounted for" ($count.Discovered - $accounted)
        }
        foreach ($problem in $count.Problems) { Write-Warning "$($count.Name): $problem" }
        Write-Host "$($count.Name): $($count.Passed) passed, $($count.Failed) failed, $($count.Skipped) skipped ($($count.Discovered) discovered, $($count.Counted) reported)."
        $passed += $count.Passed
        $failed += $count.Failed
        $skipped += $count.Skipped
    }
    Write-Host "$skipped skipped"
    Write-Host "$passed passed, $failed failed"
    $failed
}
