<#
.SYNOPSIS
    One benchmark scenario, run by Invoke-Benchmarks.ps1 in a fresh pwsh so each measurement has its own process.
    Prints one JSON line with the measurements. The module and the fake API come from the environment
    (SEEDREAM_BASE_URI, SEEDREAM_API_KEY, SEEDREAM_BENCH_BYTEPLUS_URI) set by the caller.
#>
param(
    [Parameter(Mandatory)] [ValidateSet('Throughput', 'Overhead', 'Cold', 'Peak', 'FirstImage')]
    [string] $Scenario,
    [string] $ModulePath,
    [int] $Count = 64,
    [int] $ThrottleLimit = 1,
    [string] $BodyPath,
    [string] $OutputPath,
    [string] $ReferencePath,
    [ValidateSet('Module', 'Script', 'Compiled', 'RestMethod')] [string] $Tool = 'Module',
    [ValidateSet('Small', 'Fusion', 'Fusion14', 'Sequence', 'Unstreamed')] [string] $Work = 'Small',
    [switch] $Stream
)
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
$uri = $env:SEEDREAM_BASE_URI.TrimEnd('/') + '/images/generations'

function Import-Seedream { Import-Module (Join-Path $ModulePath 'Seedream.psd1') }

# The whole process's peak resident set (VmHWM on Linux): everything the process ever held at once, runtime included.
function Get-PeakBytes { [Diagnostics.Process]::GetCurrentProcess().PeakWorkingSet64 }

# The same request as a plain HttpClient loop in compiled C#: what the module's own cost is measured against.
$compiled = @'
using System;
using System.Diagnostics;
using System.Net.Http;
using System.Net.Http.Headers;
public static class SeedreamBenchPlainLoop
{
    private static readonly HttpClient Http = new HttpClient(new SocketsHttpHandler { UseProxy = false });
    public static double Run(string uri, string key, byte[] body, int count)
    {
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < count; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
            using HttpResponseMessage response = Http.Send(request);
            response.EnsureSuccessStatusCode();
            response.Content.ReadAsByteArrayAsync().GetAwaiter().GetResult();
        }
        return clock.Elapsed.TotalMilliseconds / count;
    }
}
'@

function New-ScriptSender([byte[]] $Body) {
    $http = [Net.Http.HttpClient]::new([Net.Http.SocketsHttpHandler]@{ UseProxy = $false })
    {
        $request = [Net.Http.HttpRequestMessage]::new([Net.Http.HttpMethod]::Post, $uri)
        $request.Content = [Net.Http.ByteArrayContent]::new($Body)
        $request.Content.Headers.ContentType = [Net.Http.Headers.MediaTypeHeaderValue]::new('application/json')
        $request.Headers.Authorization = [Net.Http.Headers.AuthenticationHeaderValue]::new('Bearer', $env:SEEDREAM_API_KEY)
        $response = $http.SendAsync($request).GetAwaiter().GetResult()
        $null = $response.EnsureSuccessStatusCode().Content.ReadAsByteArrayAsync().GetAwaiter().GetResult()
        $response.Dispose(); $request.Dispose()
    }.GetNewClosure()
}

function Get-Cpu { [Diagnostics.Process]::GetCurrentProcess().TotalProcessorTime.TotalMilliseconds }

switch ($Scenario) {
    'Throughput' {
        # $Count edits piped into one Edit-SeedreamImage at -ThrottleLimit $ThrottleLimit.
        Import-Seedream
        $null = Edit-SeedreamImage -Prompt 'warm-up' -Image 'https://img.example/a.png'
        $images = 1..$Count | ForEach-Object { 'https://img.example/{0}.png' -f $_ }
        $clock = [Diagnostics.Stopwatch]::StartNew()
        $results = @($images | Edit-SeedreamImage -Prompt 'make it night' -ThrottleLimit $ThrottleLimit)
        $clock.Stop()
        [pscustomobject]@{ Seconds = $clock.Elapsed.TotalSeconds; Results = $results.Count } | ConvertTo-Json -Compress
    }
    'Cold' {
        # The first request of a fresh process, its set-up (import, compiling the C#) done first and not counted.
        $body = [IO.File]::ReadAllBytes($BodyPath)
        switch ($Tool) {
            'Module' {
                Import-Seedream
                $clock = [Diagnostics.Stopwatch]::StartNew()
                $null = New-SeedreamImage -Prompt 'a red fox in the snow'
                $ms = $clock.Elapsed.TotalMilliseconds
            }
            'Script' {
                $send = New-ScriptSender $body
                $clock = [Diagnostics.Stopwatch]::StartNew()
                & $send
                $ms = $clock.Elapsed.TotalMilliseconds
            }
            'Compiled' {
                Add-Type -TypeDefinition $compiled
                $ms = [SeedreamBenchPlainLoop]::Run($uri, $env:SEEDREAM_API_KEY, $body, 1)
            }
        }
        [pscustomobject]@{ Ms = $ms } | ConvertTo-Json -Compress
    }
    'Overhead' {
        # Steady per-request time: New-SeedreamImage (silent, then with the default progress preference) against the
        # same body posted by a PowerShell HttpClient loop and by a compiled C# loop; each warmed up first. The four
        # alternate over five rounds, each round in a rotated order (medians), so none gains from when it runs: on a
        # shared machine, a quiet or busy second lands on every tool alike.
        Import-Seedream
        $body = [IO.File]::ReadAllBytes($BodyPath)
        $prompts = 1..$Count | ForEach-Object { 'a red fox in the snow' }
        $null = $prompts | New-SeedreamImage
        $send = New-ScriptSender $body
        for ($i = 0; $i -lt 20; $i++) { & $send }
        Add-Type -TypeDefinition $compiled
        $null = [SeedreamBenchPlainLoop]::Run($uri, $env:SEEDREAM_API_KEY, $body, 20)

        $tools = 'Silent', 'Progress', 'Script', 'Compiled'
        $ms = @{}; $cpus = @{}
        foreach ($way in $tools) { $ms[$way] = @(); $cpus[$way] = @() }
        $clock = [Diagnostics.Stopwatch]::new()
        $results = @()
        foreach ($round in 0..4) {
            foreach ($k in 0..3) {
                $way = $tools[($k + $round) % 4]
                $cpu = Get-Cpu
                $clock.Restart()
                switch ($way) {
                    'Silent' { $results = @($prompts | New-SeedreamImage) }
                    'Progress' {
                        $ProgressPreference = 'Continue'
                        $results = @($prompts | New-SeedreamImage)
                        $ProgressPreference = 'SilentlyContinue'
                    }
                    'Script' { for ($i = 0; $i -lt $Count; $i++) { & $send } }
                    'Compiled' { $null = [SeedreamBenchPlainLoop]::Run($uri, $env:SEEDREAM_API_KEY, $body, $Count) }
                }
                $ms[$way] += $clock.Elapsed.TotalMilliseconds / $Count
                $cpus[$way] += ((Get-Cpu) - $cpu) / $Count
            }
        }
        $median = { param($v) @($v | Sort-Object)[2] }
        [pscustomobject]@{
            ModuleMs = & $median $ms.Silent; ModuleCpuMs = & $median $cpus.Silent
            ProgressMs = & $median $ms.Progress; ProgressCpuMs = & $median $cpus.Progress
            ScriptMs = & $median $ms.Script; CompiledMs = & $median $ms.Compiled; Results = $results.Count
        } | ConvertTo-Json -Compress
    }
    'Peak' {
        # One piece of work in a fresh process; the result is the whole process's peak, compared by the caller with
        # the same tool doing one small request. Payload: the reference bytes sent, or the image bytes received.
        $references = if ($ReferencePath) { @(Get-ChildItem -LiteralPath $ReferencePath -Filter *.png | Sort-Object Name) } else { @() }
        $byteplus = $Work -eq 'Fusion14'
        if ($Tool -eq 'Module') {
            Import-Seedream
            if ($byteplus) { Connect-Seedream -Provider BytePlus -BaseUri $env:SEEDREAM_BENCH_BYTEPLUS_URI }
            $saved = switch ($Work) {
                'Small' { New-SeedreamImage -Prompt 'one small image' -ResponseFormat Base64Json | Save-SeedreamResult -Path $OutputPath -PassThru }
                'Fusion' { Edit-SeedreamImage -Prompt 'fuse the ten' -Path (Join-Path $ReferencePath '*.png') }
                'Fusion14' { Edit-SeedreamImage -Prompt 'fuse the fourteen' -Model 4.5 -Path (Join-Path $ReferencePath '*.png') }
                'Sequence' {
                    New-SeedreamImage -Prompt 'a long sequence' -Model 4.5 -MaxImages $Count -Size 2048x2048 -ResponseFormat Base64Json -Stream |
                        Save-SeedreamResult -Path $OutputPath -PassThru
                }
                'Unstreamed' {
                    New-SeedreamImage -Prompt 'four large scenes' -Model 4.5 -MaxImages 4 -Size 4096x4096 -ResponseFormat Base64Json |
                        Save-SeedreamResult -Path $OutputPath -PassThru
                }
            }
        }
        else {
            # By hand: the body built with [Convert]::ToBase64String and ConvertTo-Json, the answer decoded with FromBase64String.
            $target = if ($byteplus) { $env:SEEDREAM_BENCH_BYTEPLUS_URI.TrimEnd('/') + '/images/generations' } else { $uri }
            $fields = switch ($Work) {
                'Small' { @{ model = 'seedream-5-0-260128'; prompt = 'one small image'; response_format = 'b64_json' } }
                'Fusion' { @{ model = 'seedream-5-0-260128'; prompt = 'fuse the ten' } }
                'Fusion14' { @{ model = 'seedream-4-5-251128'; prompt = 'fuse the fourteen' } }
                'Sequence' {
                    @{ model = 'seedream-4-5-251128'; prompt = 'a long sequence'; size = '2048x2048'; response_format = 'b64_json'; stream = $true
                        sequential_image_generation = 'auto'; sequential_image_generation_options = @{ max_images = $Count } }
                }
                'Unstreamed' {
                    @{ model = 'seedream-4-5-251128'; prompt = 'four large scenes'; size = '4096x4096'; response_format = 'b64_json'
                        sequential_image_generation = 'auto'; sequential_image_generation_options = @{ max_images = 4 } }
                }
            }
            if ($references) { $fields.image = @($references | ForEach-Object { 'data:image/png;base64,' + [Convert]::ToBase64String([IO.File]::ReadAllBytes($_.FullName)) }) }
            $body = $fields | ConvertTo-Json -Depth 5 -Compress
            $headers = @{ Authorization = 'Bearer ' + $env:SEEDREAM_API_KEY }
            $answer = Invoke-RestMethod -Method Post -Uri $target -Body $body -ContentType 'application/json' -Headers $headers -NoProxy
            $slots = if ($answer -is [string]) {
                # A stream comes back as its text: one JSON object per data line.
                @($answer -split "`n" | Where-Object { $_ -like 'data: {*' } | ForEach-Object { $_.Substring(6) | ConvertFrom-Json } | Where-Object { $_.PSObject.Properties['b64_json'] })
            }
            else { @($answer.data) }
            $i = 0
            $saved = foreach ($slot in $slots) {
                if ($slot.PSObject.Properties['b64_json'] -and $slot.b64_json) {
                    $file = Join-Path $OutputPath "irm-$i.jpeg"
                    [IO.File]::WriteAllBytes($file, [Convert]::FromBase64String($slot.b64_json))
                    Get-Item $file
                }
                $i++
            }
        }
        $images = @($saved | Where-Object { $_ -is [IO.FileInfo] })
        [pscustomobject]@{
            Peak = Get-PeakBytes
            References = ($references | Measure-Object Length -Sum).Sum
            Received = ($images | Measure-Object Length -Sum).Sum
            Images = $images.Count
        } | ConvertTo-Json -Compress
    }
    'FirstImage' {
        Import-Seedream
        $null = New-SeedreamImage -Prompt 'warm-up' -Stream:$Stream
        $clock = [Diagnostics.Stopwatch]::StartNew()
        $arrivals = @(New-SeedreamImage -Prompt 'a four-panel storyboard' -MaxImages 4 -Stream:$Stream | ForEach-Object { $clock.Elapsed.TotalSeconds })
        [pscustomobject]@{ First = $arrivals[0]; Last = $arrivals[-1]; Images = $arrivals.Count } | ConvertTo-Json -Compress
    }
}
