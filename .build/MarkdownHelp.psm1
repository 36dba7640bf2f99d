# The module's help source is platyPS-style markdown under docs/<culture>/<Cmdlet>.md. platyPS is not available
# offline, so this small module reads that markdown, writes it back (for the updater), and turns it into the MAML
# file (Seedream.dll-Help.xml) that Get-Help reads. Only the subset of the platyPS schema 2.0.0 that the docs use is
# understood; anything it does not recognise is an error, not silently dropped.
Set-StrictMode -Version 3.0

$script:CommonParametersText = 'This cmdlet supports the common parameters: -Debug, -ErrorAction, -ErrorVariable, -InformationAction, -InformationVariable, -OutBuffer, -OutVariable, -PipelineVariable, -ProgressAction, -Verbose, -WarningAction, and -WarningVariable. For more information, see [about_CommonParameters](http://go.microsoft.com/fwlink/?LinkID=113216).'
$script:YamlKeys = 'Type', 'Parameter Sets', 'Aliases', 'Accepted values', 'Required', 'Position', 'Default value', 'Accept pipeline input', 'Accept wildcard characters'
$script:Placeholder = '{{ Fill in'

function Split-Sections {
    # Splits lines at headings of the given level ('## ' or '### '), outside fenced code; returns ordered name -> lines.
    param([string[]] $Lines, [string] $Prefix)
    $sections = [ordered]@{}
    $current = $null
    $inFence = $false
    foreach ($line in $Lines) {
        if ($line -match '^```') { $inFence = -not $inFence }
        if (-not $inFence -and $line.StartsWith($Prefix) -and -not $line.StartsWith($Prefix + '#')) {
            $current = $line.Substring($Prefix.Length).Trim()
            if ($sections.Contains($current)) { throw "Heading '$Prefix$current' appears twice." }
            $sections[$current] = [System.Collections.Generic.List[string]]::new()
            continue
        }
        if ($null -ne $current) { $sections[$current].Add($line) }
        elseif ($line.Trim()) { throw "Text before the first '$Prefix' heading: '$line'." }
    }
    $sections
}

function Get-Paragraphs {
    # Text blocks separated by blank lines; a fenced block stays one paragraph with its fences.
    param([string[]] $Lines)
    $paragraphs = [System.Collections.Generic.List[string]]::new()
    $buffer = [System.Collections.Generic.List[string]]::new()
    $inFence = $false
    foreach ($line in $Lines) {
        if ($line -match '^```') {
            if (-not $inFence -and $buffer.Count) { $paragraphs.Add($buffer -join "`n"); $buffer.Clear() }
            $buffer.Add($line)
            $inFence = -not $inFence
            if (-not $inFence) { $paragraphs.Add($buffer -join "`n"); $buffer.Clear() }
            continue
        }
        if ($inFence) { $buffer.Add($line); continue }
        if ($line.Trim()) { $buffer.Add($line) }
        elseif ($buffer.Count) { $paragraphs.Add($buffer -join "`n"); $buffer.Clear() }
    }
    if ($inFence) { throw 'A fenced code block is not closed.' }
    if ($buffer.Count) { $paragraphs.Add($buffer -join "`n") }
    , $paragraphs.ToArray()
}

function Read-Fence {
    # Returns the first fenced block of the given languages (its inner lines joined) and the lines around it.
    param([string[]] $Lines, [string[]] $Languages)
    $start = -1
    for ($i = 0; $i -lt $Lines.Count; $i++) {
        if ($Lines[$i] -match '^```(?<lang>\S*)\s*$' -and $Matches.lang -in $Languages) { $start = $i; break }
    }
    if ($start -lt 0) { return $null }
    $end = -1
    for ($i = $start + 1; $i -lt $Lines.Count; $i++) { if ($Lines[$i] -match '^```\s*$') { $end = $i; break } }
    if ($end -lt 0) { throw 'A fenced code block is not closed.' }
    [pscustomobject]@{
        Text   = if ($end -gt $start + 1) { $Lines[($start + 1)..($end - 1)] -join "`n" } else { '' }
        Before = if ($start -gt 0) { @($Lines[0..($start - 1)]) } else { @() }
        After  = if ($end -lt $Lines.Count - 1) { @($Lines[($end + 1)..($Lines.Count - 1)]) } else { @() }
    }
}

function Read-MarkdownHelp {
    <# Reads one cmdlet's platyPS-style markdown into an object. Throws, naming the file, on anything malformed. #>
    [CmdletBinding()]
    param([Parameter(Mandatory, ValueFromPipeline, ValueFromPipelineByPropertyName)] [Alias('FullName')] [string] $Path)
    process {
        $file = Split-Path $Path -Leaf
        try {
            $lines = [System.IO.File]::ReadAllLines($Path)
            if ($lines[0] -ne '---') { throw 'It must start with a --- metadata block.' }
            $close = [Array]::IndexOf($lines, '---', 1)
            if ($close -lt 0) { throw 'The --- metadata block is not closed.' }
            $metadata = [ordered]@{}
            foreach ($line in $lines[1..($close - 1)]) {
                if ($line -match '^(?<key>[^:]+):\s*(?<value>.*)$') { $metadata[$Matches.key.Trim()] = $Matches.value.Trim() }
            }
            $top = Split-Sections -Lines $lines[($close + 1)..($lines.Count - 1)] -Prefix '# '
            if ($top.Count -ne 1) { throw 'It must have exactly one # heading (the cmdlet name).' }
            $name = @($top.Keys)[0]
            $sections = Split-Sections -Lines $top[$name] -Prefix '## '
            foreach ($required in 'SYNOPSIS', 'SYNTAX', 'DESCRIPTION', 'EXAMPLES', 'PARAMETERS', 'INPUTS', 'OUTPUTS', 'NOTES', 'RELATED LINKS') {
                if (-not $sections.Contains($required)) { throw "The '## $required' section is missing." }
            }
            foreach ($present in $sections.Keys) {
                if ($present -notin 'SYNOPSIS', 'SYNTAX', 'DESCRIPTION', 'EXAMPLES', 'PARAMETERS', 'INPUTS', 'OUTPUTS', 'NOTES', 'RELATED LINKS') {
                    throw "Unknown section '## $present'."
                }
            }

            $syntax = foreach ($entry in (Split-Sections -Lines $sections.SYNTAX -Prefix '### ').GetEnumerator()) {
                $fence = Read-Fence -Lines $entry.Value -Languages ''
                [pscustomobject]@{ ParameterSet = $entry.Key; Text = if ($fence) { $fence.Text } else { '' } }
            }

            $examples = foreach ($entry in (Split-Sections -Lines $sections.EXAMPLES -Prefix '### ').GetEnumerator()) {
                $fence = Read-Fence -Lines $entry.Value -Languages 'powershell', 'PowerShell', 'ps1'
                if (-not $fence) { throw "Example '$($entry.Key)' has no ``````powershell code block." }
                if ((@($fence.Before) -join '').Trim()) { throw "Example '$($entry.Key)' has text before its code block." }
                [pscustomobject]@{ Title = $entry.Key; Code = $fence.Text; Remarks = Get-Paragraphs $fence.After }
            }

            $parameters = foreach ($entry in (Split-Sections -Lines $sections.PARAMETERS -Prefix '### ').GetEnumerator()) {
                if ($entry.Key -eq 'CommonParameters') { continue }
                if (-not $entry.Key.StartsWith('-')) { throw "Parameter heading '### $($entry.Key)' must start with '-'." }
                $fence = Read-Fence -Lines $entry.Value -Languages 'yaml'
                if (-not $fence) { throw "Parameter $($entry.Key) has no ``````yaml block." }
                $yaml = [ordered]@{}
                foreach ($line in $fence.Text -split "`n") {
                    if (-not $line.Trim()) { continue }
                    if ($line -notmatch '^(?<key>[^:]+):\s*(?<value>.*)$' -or $Matches.key -notin $script:YamlKeys) {
                        throw "Parameter $($entry.Key): unknown yaml line '$line'."
                    }
                    $yaml[$Matches.key] = $Matches.value.Trim()
                }
                foreach ($key in 'Type', 'Parameter Sets', 'Required', 'Position', 'Default value', 'Accept pipeline input', 'Accept wildcard characters') {
                    if (-not $yaml.Contains($key)) { throw "Parameter $($entry.Key): yaml key '$key' is missing." }
                }
                [pscustomobject]@{
                    Name           = $entry.Key.Substring(1)
                    Description    = Get-Paragraphs $fence.Before
                    Type           = $yaml.Type
                    ParameterSets  = $yaml['Parameter Sets']
                    Aliases        = @(if ($yaml.Contains('Aliases') -and $yaml.Aliases) { $yaml.Aliases -split ',\s*' })
                    AcceptedValues = @(if ($yaml.Contains('Accepted values') -and $yaml['Accepted values']) { $yaml['Accepted values'] -split ',\s*' })
                    Required       = $yaml.Required -eq 'True'
                    Position       = $yaml.Position
                    DefaultValue   = $yaml['Default value']
                    PipelineInput  = $yaml['Accept pipeline input']
                    Globbing       = $yaml['Accept wildcard characters'] -eq 'True'
                }
            }

            $readTypes = {
                param($lines)
                foreach ($entry in (Split-Sections -Lines $lines -Prefix '### ').GetEnumerator()) {
                    [pscustomobject]@{ Type = $entry.Key; Description = Get-Paragraphs $entry.Value }
                }
            }

            $links = foreach ($line in $sections['RELATED LINKS']) {
                if (-not $line.Trim()) { continue }
                if ($line -notmatch '^\[(?<text>[^\]]+)\]\((?<uri>[^)]*)\)\s*$') { throw "Related link '$line' is not [text](uri)." }
                [pscustomobject]@{ Text = $Matches.text; Uri = $Matches.uri }
            }

            [pscustomobject]@{
                Name        = $name
                Metadata    = $metadata
                Synopsis    = (Get-Paragraphs $sections.SYNOPSIS) -join "`n`n"
                Syntax      = @($syntax)
                Description = Get-Paragraphs $sections.DESCRIPTION
                Examples    = @($examples)
                Parameters  = @($parameters)
                Inputs      = @(& $readTypes $sections.INPUTS)
                Outputs     = @(& $readTypes $sections.OUTPUTS)
                Notes       = Get-Paragraphs $sections.NOTES
                Links       = @($links)
                Path        = $Path
            }
        }
        catch {
            throw "${file}: $($_.Exception.Message)"
        }
    }
}

function ConvertTo-MarkdownHelp {
    <# Writes a help object (as Read-MarkdownHelp returns it) back as markdown. #>
    [CmdletBinding()]
    param([Parameter(Mandatory)] $Help)
    $text = [System.Text.StringBuilder]::new()
    $line = { param($value) $null = $text.Append($value).Append("`n") }
    $paragraphs = { param($items) foreach ($p in $items) { & $line $p; & $line '' } }
    & $line '---'
    foreach ($entry in $Help.Metadata.GetEnumerator()) { & $line ("{0}: {1}" -f $entry.Key, $entry.Value).TrimEnd() }
    & $line '---'
    & $line ''
    & $line "# $($Help.Name)"
    & $line ''
    & $line '## SYNOPSIS'
    & $line $Help.Synopsis
    & $line ''
    & $line '## SYNTAX'
    & $line ''
    foreach ($set in $Help.Syntax) { & $line "### $($set.ParameterSet)"; & $line '```'; & $line $set.Text; & $line '```'; & $line '' }
    & $line '## DESCRIPTION'
    & $paragraphs $Help.Description
    & $line '## EXAMPLES'
    & $line ''
    foreach ($example in $Help.Examples) {
        & $line "### $($example.Title)"; & $line '```powershell'; & $line $example.Code; & $line '```'; & $line ''
        & $paragraphs $example.Remarks
    }
    & $line '## PARAMETERS'
    & $line ''
    foreach ($parameter in $Help.Parameters) {
        & $line "### -$($parameter.Name)"
        & $paragraphs $parameter.Description
        & $line '```yaml'
        & $line "Type: $($parameter.Type)"
        & $line "Parameter Sets: $($parameter.ParameterSets)"
        & $line ("Aliases: " + ($parameter.Aliases -join ', ')).TrimEnd()
        if ($parameter.AcceptedValues.Count) { & $line "Accepted values: $($parameter.AcceptedValues -join ', ')" }
        & $line ''
        & $line "Required: $($parameter.Required)"
        & $line "Position: $($parameter.Position)"
        & $line "Default value: $($parameter.DefaultValue)"
        & $line "Accept pipeline input: $($parameter.PipelineInput)"
        & $line "Accept wildcard characters: $($parameter.Globbing)"
        & $line '```'
        & $line ''
    }
    & $line '### CommonParameters'
    & $line $script:CommonParametersText
    & $line ''
    foreach ($kind in 'INPUTS', 'OUTPUTS') {
        & $line "## $kind"
        & $line ''
        foreach ($type in $(if ($kind -eq 'INPUTS') { $Help.Inputs } else { $Help.Outputs })) {
            & $line "### $($type.Type)"; & $paragraphs $type.Description
        }
    }
    & $line '## NOTES'
    & $paragraphs $Help.Notes
    & $line '## RELATED LINKS'
    & $line ''
    $links = @($Help.Links)
    for ($i = 0; $i -lt $links.Count; $i++) {
        & $line "[$($links[$i].Text)]($($links[$i].Uri))"
        if ($i -lt $links.Count - 1) { & $line '' }
    }
    $text.ToString()
}

function Get-ParameterMetadata {
    <# The yaml facts of one parameter as the loaded cmdlet declares them (for the updater and the tests). #>
    [CmdletBinding()]
    param([Parameter(Mandatory)] [System.Management.Automation.CommandInfo] $Command, [Parameter(Mandatory)] [string] $Name)
    $parameter = $Command.Parameters[$Name]
    $sets = @($parameter.ParameterSets.Keys)
    $attribute = @($parameter.ParameterSets.Values)[0]
    $pipeline = @()
    if ($attribute.ValueFromPipeline) { $pipeline += 'ByValue' }
    if ($attribute.ValueFromPipelineByPropertyName) { $pipeline += 'ByPropertyName' }
    $type = $parameter.ParameterType
    $accepted = @()
    $enumType = if ($type.IsEnum) { $type } elseif ($type.IsArray -and $type.GetElementType().IsEnum) { $type.GetElementType() } else { $null }
    if ($enumType) { $accepted = [Enum]::GetNames($enumType) }
    $validateSet = $parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.ValidateSetAttribute] } | Select-Object -First 1
    if ($validateSet) { $accepted = @($validateSet.ValidValues) }
    [pscustomobject]@{
        Name           = $parameter.Name
        Type           = $type.Name
        ParameterSets  = if ($sets.Count -eq 1 -and $sets[0] -eq '__AllParameterSets') { '(All)' } else { $sets -join ', ' }
        Aliases        = @($parameter.Aliases)
        AcceptedValues = @($accepted)
        Required       = [bool]$attribute.IsMandatory
        Position       = if ($attribute.Position -ge 0) { [string]$attribute.Position } else { 'Named' }
        PipelineInput  = if ($pipeline) { "True ($($pipeline -join ', '))" } else { 'False' }
        Globbing       = [bool]($parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.SupportsWildcardsAttribute] })
    }
}

function Get-DocumentedParameterName {
    <# The parameters help must cover: every parameter but the common ones (WhatIf and Confirm are documented) and the hidden (DontShow) ones. #>
    param([Parameter(Mandatory)] [System.Management.Automation.CommandInfo] $Command)
    $common = [System.Management.Automation.PSCmdlet]::CommonParameters
    @($Command.Parameters.Values | Where-Object {
            $_.Name -notin $common -and -not ($_.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] -and $_.DontShow })
        } | ForEach-Object Name)
}

function Update-MarkdownHelp {
    <#
        Brings one markdown file in line with the loaded cmdlet: refreshes the syntax and every parameter's yaml facts,
        adds a placeholder section for each new parameter and drops sections of parameters that no longer exist.
        Descriptions, examples and links are kept. Creates the file when it is missing.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)] [System.Management.Automation.CommandInfo] $Command, [Parameter(Mandatory)] [string] $Path)
    if (Test-Path $Path) { $help = Read-MarkdownHelp -Path $Path }
    else {
        $help = [pscustomobject]@{
            Name = $Command.Name
            Metadata = [ordered]@{ 'external help file' = "$($Command.Module.Name).dll-Help.xml"; 'Module Name' = $Command.Module.Name; 'online version' = ''; 'schema' = '2.0.0' }
            Synopsis = "$script:Placeholder the Synopsis }}"; Syntax = @(); Description = @("$script:Placeholder the Description }}")
            Examples = @([pscustomobject]@{ Title = 'Example 1'; Code = "PS C:\> $script:Placeholder Example Code }}"; Remarks = @("$script:Placeholder Example Description }}") })
            Parameters = @(); Inputs = @(); Outputs = @(); Notes = @(); Links = @(); Path = $Path
        }
    }
    # PowerShell's own syntax line lists hidden (DontShow) parameters too; the help leaves them out.
    $documented = Get-DocumentedParameterName $Command
    $help.Syntax = @(foreach ($set in $Command.ParameterSets) {
            $text = "$($Command.Name) $set"
            foreach ($hidden in $set.Parameters | Where-Object { $_.Name -notin $documented -and $_.Name -notin [System.Management.Automation.PSCmdlet]::CommonParameters }) {
                $text = $text -replace " \[?\[?-$($hidden.Name)\]? <[^>]+>\]?", ''
            }
            [pscustomobject]@{ ParameterSet = $set.Name; Text = $text }
        })
    $existing = @{}
    foreach ($parameter in $help.Parameters) { $existing[$parameter.Name] = $parameter }
    $help.Parameters = @(foreach ($name in (Get-DocumentedParameterName $Command | Sort-Object { $_ -in 'WhatIf', 'Confirm' }, { $_ })) {
            $facts = Get-ParameterMetadata -Command $Command -Name $name
            $old = $existing[$name]
            [pscustomobject]@{
                Name           = $name
                Description    = if ($old) { $old.Description } else { @("$script:Placeholder $name Description }}") }
                Type           = $facts.Type
                ParameterSets  = $facts.ParameterSets
                Aliases        = $facts.Aliases
                AcceptedValues = $facts.AcceptedValues
                Required       = $facts.Required
                Position       = $facts.Position
                DefaultValue   = if ($old) { $old.DefaultValue } else { 'None' }
                PipelineInput  = $facts.PipelineInput
                Globbing       = $facts.Globbing
            }
        })
    [System.IO.File]::WriteAllText($Path, (ConvertTo-MarkdownHelp -Help $help), [System.Text.UTF8Encoding]::new($false))
}

function ConvertTo-MamlHelp {
    <# Writes the MAML help file (for example en-US/Seedream.dll-Help.xml) from help objects. #>
    [CmdletBinding()]
    param([Parameter(Mandatory)] [object[]] $Help, [Parameter(Mandatory)] [string] $Path)
    $maml = 'http://schemas.microsoft.com/maml/2004/10'
    $commandNs = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
    $dev = 'http://schemas.microsoft.com/maml/dev/2004/10'
    $settings = [System.Xml.XmlWriterSettings]::new()
    $settings.Indent = $true
    $settings.Encoding = [System.Text.UTF8Encoding]::new($false)
    $directory = Split-Path $Path
    if ($directory -and -not (Test-Path $directory)) { $null = New-Item -ItemType Directory -Path $directory }
    $writer = [System.Xml.XmlWriter]::Create($Path, $settings)
    try {
        $paras = {
            param([string[]] $items)
            foreach ($item in $items) {
                # Markdown line breaks inside a paragraph are soft; fenced blocks keep theirs (without the fences).
                $text = if ($item -match '^```') { ($item -split "`n" | Where-Object { $_ -notmatch '^```' }) -join "`n" } else { ($item -split "`n" | ForEach-Object Trim) -join ' ' }
                $writer.WriteElementString('maml', 'para', $maml, $text)
            }
        }
        $description = {
            param([string[]] $items)
            $writer.WriteStartElement('maml', 'description', $maml); & $paras $items; $writer.WriteEndElement()
        }
        $writeParameter = {
            param($parameter, [bool] $inSyntax)
            $isSwitch = $parameter.Type -eq 'SwitchParameter'
            $writer.WriteStartElement('command', 'parameter', $commandNs)
            $writer.WriteAttributeString('required', $parameter.Required.ToString().ToLowerInvariant())
            $writer.WriteAttributeString('variableLength', ($parameter.Type -like '*`[`]').ToString().ToLowerInvariant())
            $writer.WriteAttributeString('globbing', $parameter.Globbing.ToString().ToLowerInvariant())
            $writer.WriteAttributeString('pipelineInput', $parameter.PipelineInput)
            $writer.WriteAttributeString('position', $(if ($parameter.Position -eq 'Named') { 'named' } else { $parameter.Position }))
            $writer.WriteAttributeString('aliases', $(if ($parameter.Aliases.Count) { $parameter.Aliases -join ', ' } else { 'none' }))
            $writer.WriteElementString('maml', 'name', $maml, $parameter.Name)
            & $description $parameter.Description
            if ($parameter.AcceptedValues.Count -and $inSyntax) {
                $writer.WriteStartElement('command', 'parameterValueGroup', $commandNs)
                foreach ($value in $parameter.AcceptedValues) {
                    $writer.WriteStartElement('command', 'parameterValue', $commandNs)
                    $writer.WriteAttributeString('required', 'false'); $writer.WriteAttributeString('variableLength', 'false')
                    $writer.WriteString($value); $writer.WriteEndElement()
                }
                $writer.WriteEndElement()
            }
            elseif (-not ($isSwitch -and $inSyntax)) {
                $writer.WriteStartElement('command', 'parameterValue', $commandNs)
                $writer.WriteAttributeString('required', (-not $isSwitch).ToString().ToLowerInvariant())
                $writer.WriteAttributeString('variableLength', 'false')
                $writer.WriteString($parameter.Type); $writer.WriteEndElement()
            }
            $writer.WriteStartElement('dev', 'type', $dev)
            $writer.WriteElementString('maml', 'name', $maml, $parameter.Type)
            $writer.WriteElementString('maml', 'uri', $maml, '')
            $writer.WriteEndElement()
            $writer.WriteElementString('dev', 'defaultValue', $dev, $parameter.DefaultValue)
            $writer.WriteEndElement()
        }

        $writer.WriteStartDocument()
        $writer.WriteStartElement('helpItems', 'http://msh')
        $writer.WriteAttributeString('schema', 'maml')
        foreach ($command in $Help) {
            $verb, $noun = $command.Name -split '-', 2
            $writer.WriteStartElement('command', 'command', $commandNs)
            $writer.WriteAttributeString('xmlns', 'maml', $null, $maml)
            $writer.WriteAttributeString('xmlns', 'command', $null, $commandNs)
            $writer.WriteAttributeString('xmlns', 'dev', $null, $dev)
            $writer.WriteStartElement('command', 'details', $commandNs)
            $writer.WriteElementString('command', 'name', $commandNs, $command.Name)
            $writer.WriteElementString('command', 'verb', $commandNs, $verb)
            $writer.WriteElementString('command', 'noun', $commandNs, $noun)
            & $description @($command.Synopsis)
            $writer.WriteEndElement()
            & $description $command.Description

            # Syntax per parameter set: positional parameters by position, then the rest in the document's order.
            $setNames = @($command.Parameters | ForEach-Object { $_.ParameterSets -split ',\s*' } | Where-Object { $_ -ne '(All)' } | Select-Object -Unique)
            if (-not $setNames) { $setNames = @('(All)') }
            $writer.WriteStartElement('command', 'syntax', $commandNs)
            foreach ($set in $setNames) {
                $members = @($command.Parameters | Where-Object { $_.ParameterSets -eq '(All)' -or ($_.ParameterSets -split ',\s*') -contains $set })
                $ordered = @($members | Where-Object Position -NE 'Named' | Sort-Object { [int]$_.Position }) + @($members | Where-Object Position -EQ 'Named')
                $writer.WriteStartElement('command', 'syntaxItem', $commandNs)
                $writer.WriteElementString('maml', 'name', $maml, $command.Name)
                foreach ($parameter in $ordered) { & $writeParameter $parameter $true }
                $writer.WriteEndElement()
            }
            $writer.WriteEndElement()

            $writer.WriteStartElement('command', 'parameters', $commandNs)
            foreach ($parameter in $command.Parameters) { & $writeParameter $parameter $false }
            $writer.WriteEndElement()

            foreach ($kind in @(@('inputTypes', 'inputType', $command.Inputs), @('returnValues', 'returnValue', $command.Outputs))) {
                $writer.WriteStartElement('command', $kind[0], $commandNs)
                foreach ($type in $kind[2]) {
                    $writer.WriteStartElement('command', $kind[1], $commandNs)
                    $writer.WriteStartElement('dev', 'type', $dev)
                    $writer.WriteElementString('maml', 'name', $maml, $type.Type)
                    $writer.WriteEndElement()
                    & $description $type.Description
                    $writer.WriteEndElement()
                }
                $writer.WriteEndElement()
            }

            $writer.WriteStartElement('maml', 'alertSet', $maml)
            $writer.WriteStartElement('maml', 'alert', $maml)
            & $paras $command.Notes
            $writer.WriteEndElement()
            $writer.WriteEndElement()

            $writer.WriteStartElement('command', 'examples', $commandNs)
            foreach ($example in $command.Examples) {
                $writer.WriteStartElement('command', 'example', $commandNs)
                $writer.WriteElementString('maml', 'title', $maml, "-------------------------- $($example.Title) --------------------------")
                $writer.WriteElementString('dev', 'code', $dev, $example.Code)
                $writer.WriteStartElement('dev', 'remarks', $dev)
                & $paras $example.Remarks
                $writer.WriteEndElement()
                $writer.WriteEndElement()
            }
            $writer.WriteEndElement()

            $writer.WriteStartElement('command', 'relatedLinks', $commandNs)
            foreach ($link in $command.Links) {
                $writer.WriteStartElement('maml', 'navigationLink', $maml)
                $writer.WriteElementString('maml', 'linkText', $maml, $link.Text)
                $writer.WriteElementString('maml', 'uri', $maml, $(if ($link.Uri -match '^https?://') { $link.Uri } else { '' }))
                $writer.WriteEndElement()
            }
            $writer.WriteEndElement()
            $writer.WriteEndElement()
        }
        $writer.WriteEndElement()
        $writer.WriteEndDocument()
    }
    finally {
        $writer.Dispose()
    }
}

Export-ModuleMember -Function Read-MarkdownHelp, ConvertTo-MarkdownHelp, Get-ParameterMetadata, Get-DocumentedParameterName, Update-MarkdownHelp, ConvertTo-MamlHelp
