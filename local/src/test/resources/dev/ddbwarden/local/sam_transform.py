"""Transforms template.yaml with SAM's own translator (samtranslator, which cfn-lint ships) for one set of
parameter values, and prints what SettingsReachLiveTest needs as JSON: each function's published version
logical ID and environment as SAM wrote them, and the settings parameter's value resolved with those values.

Usage: python3 sam_transform.py TEMPLATE '{"RemediationMode": "notify", ...}'
"""
import json
import os
import sys

from cfnlint.decode import cfn_yaml
from samtranslator.translator.transform import transform


class NoManagedPolicies:
    """The template's roles are its own AWS::IAM::Role resources: SAM never needs to look a managed policy up."""

    def load(self):
        return {}


def parameter_values(template, overrides):
    values = {}
    for name, spec in template.get("Parameters", {}).items():
        raw = str(overrides.get(name, spec.get("Default", "")))
        values[name] = ([] if raw == "" else raw.split(",")) if "List" in spec["Type"] else raw
    values.update({"AWS::StackName": "ddb-warden", "AWS::Region": "us-east-1", "AWS::AccountId": "123456789012",
                   "AWS::Partition": "aws"})
    return values


def resolve(node, values):
    """Ref, Fn::Sub and Fn::Join over parameter values: enough for the settings document."""
    if isinstance(node, dict) and len(node) == 1:
        (function, argument), = node.items()
        if function == "Ref":
            return values[argument]
        if function == "Fn::Sub":
            text = argument if isinstance(argument, str) else argument[0]
            for name, value in values.items():
                text = text.replace("${" + name + "}", value if isinstance(value, str) else ",".join(value))
            return text
        if function == "Fn::Join":
            parts = resolve(argument[1], values)
            parts = parts if isinstance(parts, list) else [parts]
            return argument[0].join(str(resolve(part, values)) for part in parts)
    if isinstance(node, list):
        return [resolve(item, values) for item in node]
    return node


def main():
    path, overrides = sys.argv[1], json.loads(sys.argv[2])
    template = json.loads(json.dumps(cfn_yaml.load(path)))
    # What sam package leaves of a build: the same artifact's S3 location for both parameter sets.
    for resource in template["Resources"].values():
        if resource["Type"] == "AWS::Serverless::Function":
            resource["Properties"]["CodeUri"] = "s3://ddb-warden-artifacts/warden-0123456789abcdef.zip"
    values = parameter_values(template, overrides)
    # SAM asks boto3 for a region even when the pseudo parameters are given; no AWS call is made.
    os.environ["AWS_DEFAULT_REGION"] = values["AWS::Region"]
    output = transform(template, values, NoManagedPolicies())
    resources = output["Resources"]
    functions = {}
    for logical_id, resource in resources.items():
        if resource["Type"] == "AWS::Lambda::Version":
            function = resource["Properties"]["FunctionName"]["Ref"]
            functions.setdefault(function, {})["version"] = logical_id
    for logical_id, resource in resources.items():
        if resource["Type"] == "AWS::Lambda::Function":
            variables = resource["Properties"].get("Environment", {}).get("Variables", {})
            functions.setdefault(logical_id, {})["environment"] = variables
    settings = resources.get("SettingsParameter", {}).get("Properties")
    print(json.dumps({
        "parameters": sorted(template.get("Parameters", {})),
        "functions": functions,
        "settingsName": resolve(settings["Name"], values) if settings else None,
        "settingsValue": resolve(settings["Value"], values) if settings else None,
    }))


if __name__ == "__main__":
    main()
