# Dot-sourced in each suite's AfterAll.
Disconnect-Seedream
Remove-Item Env:SEEDREAM_BASE_URI, Env:SEEDREAM_API_KEY -ErrorAction SilentlyContinue
if ($script:Fake) { Stop-FakeSeedreamApi $script:Fake }
