using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Reflection;

namespace Seedream.Commands
{
    /// <summary>
    /// Lets Save-SeedreamResult take results that lost their type on the way: through Export-Clixml and
    /// Import-Clixml, a job, or remoting they arrive as property bags (Deserialized.Seedream.SeedreamImage) when the
    /// module was not loaded to rehydrate them (see <see cref="SeedreamImageConverter"/>). Such an object is rebuilt
    /// from its properties; anything else is left for the binder to refuse.
    /// </summary>
    public sealed class SeedreamImageTransformationAttribute : ArgumentTransformationAttribute
    {
        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
        {
            object? value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
            if (value is IList list && !(value is byte[]))
            {
                var images = new List<object?>(list.Count);
                foreach (object? item in list)
                {
                    images.Add(SeedreamImageConverter.TryRebuild(item) ?? item);
                }

                return images.ToArray();
            }

            return SeedreamImageConverter.TryRebuild(inputData) ?? inputData;
        }
    }

    /// <summary>
    /// Turns what Edit-SeedreamImage -Image is given into <see cref="SeedreamImageInput"/>: strings, Uris, results (live or
    /// deserialized) and objects with a Url property. An object that carries a PSPath (a FileInfo or any provider item) is
    /// left as it is: piped, it then binds to -LiteralPath by property name; given to -Image on the command line,
    /// PowerShell converts a file to SeedreamImageInput itself.
    /// </summary>
    public sealed class SeedreamImageInputTransformationAttribute : ArgumentTransformationAttribute
    {
        /// <summary>The properties of a piped row that name its images, in the order they are looked for.</summary>
        private static readonly string[] RowColumns = { "Image", "Url", "FullName", "Path" };

        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
        {
            object? value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
            if (value is IList list && !(value is byte[]))
            {
                var items = new List<object?>(list.Count);
                foreach (object? entry in list)
                {
                    object? converted = Convert(entry);
                    if (converted is SeedreamImageInput[] row)
                    {
                        items.AddRange(row);
                    }
                    else
                    {
                        items.Add(converted);
                    }
                }

                return items.ToArray();
            }

            return Convert(inputData);
        }

        private static object? Convert(object? item)
        {
            object? value = item is PSObject wrapped ? wrapped.BaseObject : item;
            switch (value)
            {
                case null:
                    return null;
                case SeedreamImageInput input:
                    return input;
                case string text:
                    return new SeedreamImageInput(text); // Get-Content lines carry a PSPath too: a string is always an image string
                case Uri uri:
                    return new SeedreamImageInput(uri);
                case SeedreamImage result:
                    return new SeedreamImageInput(result);
                case FileSystemInfo _:
                    return item;
            }

            PSObject bag = PSObject.AsPSObject(item!);
            if (!SeedreamImageConverter.IsDeserializedResult(bag) && bag.Properties["ImageBytes"] is null && bag.Properties["PSPath"] is null && RowImages(bag) is SeedreamImageInput[] row)
            {
                return row;
            }

            if (SeedreamImageConverter.TryRebuild(item) is SeedreamImage rebuilt)
            {
                return new SeedreamImageInput(rebuilt);
            }

            // Any other object with a PSPath (Get-Item of a file, Select-Object PSPath, Get-SeedreamImageInfo) is that file,
            // taken literally. Binding by property name alone cannot be relied on for these: once the per-request
            // parameters bind by property name, PowerShell keeps piped objects in the default (-Image) parameter set.
            if (bag.Properties["PSPath"]?.Value is object psPath && bag.Properties["Url"] is null)
            {
                return value is SeedreamImageInfo info ? new SeedreamImageInput(info) : new SeedreamImageInput(PSObject.AsPSObject(psPath).BaseObject.ToString() ?? "");
            }

            return SeedreamImageInput.Other(item!);
        }

        /// <summary>A row (Import-Csv, an object): its Image column (or Url, FullName, Path) holds one path or URL, or several separated by ';'.</summary>
        private static SeedreamImageInput[]? RowImages(PSObject bag)
        {
            foreach (string name in RowColumns)
            {
                if (bag.Properties[name]?.Value is object cell && !(cell is PSObject p && p.BaseObject is null))
                {
                    object plain = cell is PSObject w ? w.BaseObject : cell;
                    if (plain is string text)
                    {
                        string[] parts = text.Split(';').Select(part => part.Trim()).Where(part => part.Length > 0).ToArray();
                        return parts.Length == 0 ? new[] { new SeedreamImageInput(text) } : parts.Select(part => new SeedreamImageInput(part)).ToArray();
                    }
                }
            }

            return null;
        }
    }

    /// <summary>
    /// Rehydrates deserialized results (Import-Clixml, jobs, remoting) as live <see cref="SeedreamImage"/> objects, so
    /// IsExpired and TimeLeft are computed when read and the bytes of a Base64Json result can be edited and saved.
    /// Seedream.Types.ps1xml names it for Deserialized.Seedream.SeedreamImage (TargetTypeForDeserialization); the
    /// transformation attributes use the same rebuilding for bags made before the module was loaded.
    /// Every settable property of SeedreamImage is copied by name, so a property added later comes along.
    /// </summary>
    public sealed class SeedreamImageConverter : PSTypeConverter
    {
        private const string DeserializedTypeName = "Deserialized.Seedream.SeedreamImage";

        private static readonly PropertyInfo[] Settable = typeof(SeedreamImage).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite && p.GetSetMethod() != null)
            .ToArray();

        public override bool CanConvertFrom(object sourceValue, Type destinationType) =>
            destinationType == typeof(SeedreamImage) && IsResultBag(sourceValue as PSObject);

        public override bool CanConvertFrom(PSObject sourceValue, Type destinationType) =>
            destinationType == typeof(SeedreamImage) && IsResultBag(sourceValue);

        public override object ConvertFrom(PSObject sourceValue, Type destinationType, IFormatProvider formatProvider, bool ignoreCase) =>
            TryRebuild(sourceValue) ?? throw new PSInvalidCastException($"The object is not a {DeserializedTypeName}.");

        public override object ConvertFrom(object sourceValue, Type destinationType, IFormatProvider formatProvider, bool ignoreCase) =>
            TryRebuild(sourceValue) ?? throw new PSInvalidCastException($"The object is not a {DeserializedTypeName}.");

        public override bool CanConvertTo(object sourceValue, Type destinationType) => false;

        public override bool CanConvertTo(PSObject sourceValue, Type destinationType) => false;

        public override object ConvertTo(object sourceValue, Type destinationType, IFormatProvider formatProvider, bool ignoreCase) =>
            throw new PSInvalidCastException("SeedreamImageConverter converts only from deserialized results.");

        public override object ConvertTo(PSObject sourceValue, Type destinationType, IFormatProvider formatProvider, bool ignoreCase) =>
            throw new PSInvalidCastException("SeedreamImageConverter converts only from deserialized results.");

        /// <summary>A live result rebuilt from a property bag that looks like one (a Url or ImageBytes property); else null.</summary>
        internal static SeedreamImage? TryRebuild(object? item)
        {
            if (!(item is PSObject bag) || bag.BaseObject is SeedreamImage || !LooksLikeResult(bag))
            {
                return null;
            }

            var image = new SeedreamImage();
            foreach (PropertyInfo property in Settable)
            {
                object? value = bag.Properties[property.Name]?.Value;
                if (value != null && TryConvert(value, property.PropertyType, out object? converted))
                {
                    property.SetValue(image, converted);
                }
            }

            return image;
        }

        internal static bool IsDeserializedResult(PSObject bag) => bag.TypeNames.Contains(DeserializedTypeName);

        private static bool IsResultBag(PSObject? value) =>
            value != null && (value.TypeNames.Contains(DeserializedTypeName) || LooksLikeResult(value)) && !(value.BaseObject is SeedreamImage);

        private static bool LooksLikeResult(PSObject bag) => bag.Properties["Url"] != null || bag.Properties["ImageBytes"] != null;

        /// <summary>Converts one deserialized value to a property's type: plain values, enums, DateTimeOffset, and objects built from their properties.</summary>
        private static bool TryConvert(object value, Type type, out object? converted)
        {
            Type target = Nullable.GetUnderlyingType(type) ?? type;
            object plain = value is PSObject wrapped ? wrapped.BaseObject : value;
            if (target.IsInstanceOfType(plain))
            {
                converted = plain;
                return true;
            }

            if (target == typeof(DateTimeOffset))
            {
                converted = ToDateTimeOffset(value);
                return converted != null;
            }

            if (target.IsArray && plain is IList items && !(plain is byte[]))
            {
                Type element = target.GetElementType()!;
                Array array = Array.CreateInstance(element, items.Count);
                for (int i = 0; i < items.Count; i++)
                {
                    if (items[i] is object item && TryConvert(item, element, out object? convertedItem))
                    {
                        array.SetValue(convertedItem, i);
                    }
                }

                converted = array;
                return true;
            }

            if (plain is PSCustomObject && value is PSObject properties && !target.IsPrimitive && target != typeof(string))
            {
                converted = Build(properties, target);
                return converted != null;
            }

            if (LanguagePrimitives.TryConvertTo(plain, target, CultureInfo.InvariantCulture, out object result))
            {
                converted = result;
                return true;
            }

            converted = null;
            return false;
        }

        /// <summary>An object of <paramref name="type"/> from a property bag: through its settable properties, or its constructor's parameters by name.</summary>
        private static object? Build(PSObject bag, Type type)
        {
            ConstructorInfo? constructor = type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).FirstOrDefault();
            if (constructor is null)
            {
                return null;
            }

            ParameterInfo[] parameters = constructor.GetParameters();
            var arguments = new object?[parameters.Length];
            for (int i = 0; i < parameters.Length; i++)
            {
                PSPropertyInfo? property = bag.Properties.FirstOrDefault(p => string.Equals(p.Name, parameters[i].Name, StringComparison.OrdinalIgnoreCase));
                if (property?.Value is object value && TryConvert(value, parameters[i].ParameterType, out object? argument))
                {
                    arguments[i] = argument;
                }
                else
                {
                    arguments[i] = parameters[i].ParameterType.IsValueType ? Activator.CreateInstance(parameters[i].ParameterType) : null;
                }
            }

            object built = constructor.Invoke(arguments);
            foreach (PropertyInfo setter in type.GetProperties().Where(p => p.CanWrite && p.GetSetMethod() != null))
            {
                if (bag.Properties[setter.Name]?.Value is object value && TryConvert(value, setter.PropertyType, out object? converted))
                {
                    setter.SetValue(built, converted);
                }
            }

            return built;
        }

        /// <summary>DateTimeOffset survives serialization only as a property bag (or a string from JSON).</summary>
        private static DateTimeOffset? ToDateTimeOffset(object? value)
        {
            object? plain = value is PSObject wrapped ? wrapped.BaseObject : value;
            switch (plain)
            {
                case null:
                    return null;
                case DateTimeOffset offset:
                    return offset;
                case DateTime time:
                    return new DateTimeOffset(time.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(time, DateTimeKind.Utc) : time);
                case string text when DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset parsed):
                    return parsed;
            }

            if (value is PSObject bag && bag.Properties["UtcDateTime"]?.Value is object utc && LanguagePrimitives.TryConvertTo(utc, out DateTime utcTime))
            {
                return new DateTimeOffset(DateTime.SpecifyKind(utcTime, DateTimeKind.Utc));
            }

            return null;
        }
    }
}
