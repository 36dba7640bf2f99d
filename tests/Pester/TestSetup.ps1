# Dot-sourced in each suite's BeforeAll: imports the built module and the helpers, starts a fake API for the suite,
# and points the module at it through the environment (as a runbook would be configured).
$repo = Resolve-Path (Join-Path $PSScriptRoot '../..')
$modulePath = if ($env:SEEDREAM_TEST_MODULE) { $env:SEEDREAM_TEST_MODULE } else { Join-Path $repo 'out/Seedream' }
$fakeApiPath = if ($env:SEEDREAM_TEST_FAKEAPI) { $env:SEEDREAM_TEST_FAKEAPI } else { Join-Path $repo 'out/fakeapi' }
Import-Module (Join-Path $modulePath 'Seedream.psd1') -Force
Import-Module (Join-Path $PSScriptRoot 'Seedream.TestHelpers.psm1') -Force
$script:Fake = Start-FakeSeedreamApi -Path $fakeApiPath
$env:SEEDREAM_BASE_URI = $script:Fake.ApiV1
$env:SEEDREAM_API_KEY = $script:Fake.ApiKey
Remove-Item Env:ARK_API_KEY -ErrorAction SilentlyContinue
$ProgressPreference = 'SilentlyContinue'
