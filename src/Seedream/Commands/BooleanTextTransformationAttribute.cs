using System;
using System.Management.Automation;

namespace Seedream.Commands
{
    /// <summary>
    /// Lets a switch bind by property name from text (Import-Csv cells): True/False, Yes/No, 1/0, On/Off, and an empty
    /// cell as False. PowerShell on its own refuses a string for a switch. Anything else is passed on unchanged.
    /// </summary>
    public sealed class BooleanTextTransformationAttribute : ArgumentTransformationAttribute
    {
        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
        {
            object? value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
            if (!(value is string text))
            {
                return inputData;
            }

            switch (text.Trim().ToLowerInvariant())
            {
                case "":
                case "false":
                case "no":
                case "0":
                case "off":
                case "$false":
                    return new SwitchParameter(false);
                case "true":
                case "yes":
                case "1":
                case "on":
                case "$true":
                    return new SwitchParameter(true);
                default:
                    throw new ArgumentTransformationMetadataException($"'{text}' is not a yes/no value; use True or False (or Yes/No, 1/0).");
            }
        }
    }
}
