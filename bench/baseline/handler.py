"""The baseline ddb-warden is measured against: a minimal Python Lambda handler on boto3, the tool a
security team would otherwise write (Cloud Custodian's event mode works this way).

It does what DeletionProtectionFunction must do for an unprotected table, with the same three calls:
DescribeTable, UpdateTable(DeletionProtectionEnabled=True) when protection is off, and one SNS Publish
with the attributes subscribers filter on. Nothing else: no ledger, no exemptions, no decommission
tags, no re-checks, no structured logs or metrics. Clients are created at import, as Lambda's init.
"""
import os

import boto3

dynamodb = boto3.client("dynamodb")
sns = boto3.client("sns")
TOPIC_ARN = os.environ["ALERT_TOPIC_ARN"]


def handler(event, context):
    detail = event["detail"]
    name = detail["requestParameters"]["tableName"]
    region = detail["awsRegion"]
    table = dynamodb.describe_table(TableName=name)["Table"]
    if table.get("DeletionProtectionEnabled"):
        return {"table": table["TableArn"], "action": "COMPLIANT"}
    dynamodb.update_table(TableName=name, DeletionProtectionEnabled=True)
    actor = detail.get("userIdentity", {}).get("arn", "unknown")
    sns.publish(
        TopicArn=TOPIC_ARN,
        Subject=f"[MEDIUM] deletion-protection: {name} ({region}) - deletion protection off",
        Message=(f"Deletion protection was off on table {name} after {detail['eventName']}.\n"
                 f"Turned it on (UpdateTable DeletionProtectionEnabled=true).\n"
                 f"Actor: {actor}\nSource IP: {detail.get('sourceIPAddress')}\n"
                 f"CloudTrail event ID: {detail.get('eventID')}\n"),
        MessageAttributes={k: {"DataType": "String", "StringValue": v} for k, v in {
            "severity": "MEDIUM", "rule": "deletion-protection",
            "account": event["account"], "region": region}.items()},
    )
    return {"table": table["TableArn"], "action": "FIXED", "eventId": detail.get("eventID")}
