package dev.ddbwarden.local;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Fn::ForEach expansion against the examples of CloudFormation's Template Reference ("Examples of
 * Fn::ForEach in the Resources section" and "... in the Outputs section"), each with the transformed template
 * the page gives, and against the forms template.yaml uses beyond them.
 */
class LanguageExtensionsTest {
    @TempDir
    Path dir;

    @Test
    void snsTopicsExample_shouldYieldOneTopicPerItem_withTheItemInKeysAndSubs() throws Exception {
        Map<String, Object> expanded = expand("""
                AWSTemplateFormatVersion: 2010-09-09
                Transform: AWS::LanguageExtensions
                Resources:
                  'Fn::ForEach::Topics':
                    - TopicName
                    - [Success, Failure, Timeout, Unknown]
                    - 'SnsTopic${TopicName}':
                        Type: AWS::SNS::Topic
                        Properties:
                          TopicName: !Sub '${TopicName}.fifo'
                          FifoTopic: true
                """);

        assertThat(expanded).doesNotContainKey("Transform");
        Map<String, Object> resources = Template.map(expanded.get("Resources"));
        assertThat(resources).containsOnlyKeys("SnsTopicSuccess", "SnsTopicFailure", "SnsTopicTimeout", "SnsTopicUnknown");
        assertThat(resources.get("SnsTopicTimeout")).isEqualTo(Map.of("Type", "AWS::SNS::Topic",
                "Properties", Map.of("TopicName", "Timeout.fifo", "FifoTopic", true)));
    }

    @Test
    void bucketOutputsExample_shouldNestLoops_andResolveIntrinsicsInsideGetAtt() throws Exception {
        Map<String, Object> expanded = expand("""
                Transform: AWS::LanguageExtensions
                Resources:
                  'Fn::ForEach::Buckets':
                    - Identifier
                    - [A, B, C]
                    - 'S3Bucket${Identifier}':
                        Type: AWS::S3::Bucket
                Outputs:
                  'Fn::ForEach::BucketOutputs':
                    - Identifier
                    - [A, B, C]
                    - 'Fn::ForEach::GetAttLoop':
                        - Property
                        - [Arn, DomainName, WebsiteURL]
                        - 'S3Bucket${Identifier}${Property}':
                            Value: !GetAtt [!Sub 'S3Bucket${Identifier}', !Ref Property]
                """);

        Map<String, Object> outputs = Template.map(expanded.get("Outputs"));
        assertThat(outputs).hasSize(9);
        assertThat(outputs.get("S3BucketBDomainName"))
                .isEqualTo(Map.of("Value", Map.of("Fn::GetAtt", List.of("S3BucketB", "DomainName"))));
        assertThat(Template.map(expanded.get("Resources"))).containsOnlyKeys("S3BucketA", "S3BucketB", "S3BucketC");
    }

    @Test
    void ampersandIdentifier_shouldDropNonAlphanumericCharacters_inTheKeyOnly() throws Exception {
        Map<String, Object> expanded = expand("""
                Transform: [AWS::LanguageExtensions, AWS::Serverless-2016-10-31]
                Resources:
                  'Fn::ForEach::Subnets':
                    - CIDR
                    - [10.0.2.0/24, 10.0.3.0/24]
                    - 'Subnet&{CIDR}':
                        Type: AWS::EC2::Subnet
                        Properties:
                          CidrBlock: !Ref CIDR
                """);

        assertThat(expanded.get("Transform")).isEqualTo("AWS::Serverless-2016-10-31");
        assertThat(Template.map(expanded.get("Resources")).get("Subnet1002024"))
                .isEqualTo(Map.of("Type", "AWS::EC2::Subnet", "Properties", Map.of("CidrBlock", "10.0.2.0/24")));
    }

    @Test
    void severalKeysPerItem_refToAGeneratedId_andFindInMap_shouldResolve() throws Exception {
        Map<String, Object> expanded = expand("""
                Transform: [AWS::LanguageExtensions, AWS::Serverless-2016-10-31]
                Mappings:
                  Names:
                    Watcher: {Name: watcher}
                Resources:
                  WatcherFunction: {Type: AWS::Serverless::Function}
                  'Fn::ForEach::Alarms':
                    - F
                    - [Watcher]
                    - '${F}LogGroup':
                        Type: AWS::Logs::LogGroup
                        Properties:
                          LogGroupName: !Sub ['/aws/lambda/${AWS::StackName}-${Name}', {Name: !FindInMap [Names, !Ref F, Name]}]
                      '${F}ErrorsAlarm':
                        Type: AWS::CloudWatch::Alarm
                        Properties:
                          AlarmDescription: !Sub '${F}Function failed in ${AWS::Region}'
                          Dimensions: [{Name: FunctionName, Value: !Ref {'Fn::Sub': '${F}Function'}}]
                """);

        Map<String, Object> resources = Template.map(expanded.get("Resources"));
        assertThat(resources).containsOnlyKeys("WatcherFunction", "WatcherLogGroup", "WatcherErrorsAlarm");
        assertThat(Template.map(Template.map(resources.get("WatcherLogGroup")).get("Properties")).get("LogGroupName"))
                .isEqualTo(Map.of("Fn::Sub", List.of("/aws/lambda/${AWS::StackName}-${Name}", Map.of("Name", "watcher"))));
        Map<String, Object> alarm = Template.map(Template.map(resources.get("WatcherErrorsAlarm")).get("Properties"));
        assertThat(alarm.get("AlarmDescription")).isEqualTo(Map.of("Fn::Sub", "WatcherFunction failed in ${AWS::Region}"));
        assertThat(alarm.get("Dimensions"))
                .isEqualTo(List.of(Map.of("Name", "FunctionName", "Value", Map.of("Ref", "WatcherFunction"))));
    }

    /** "Fn::ForEach ... can be used within the Conditions, Outputs, Resources (including the resource properties)". */
    @Test
    void aLoopInsideAResourcesProperties_shouldYieldPropertyKeys_besideTheOthers() throws Exception {
        Map<String, Object> expanded = expand("""
                Transform: [AWS::LanguageExtensions, AWS::Serverless-2016-10-31]
                Mappings:
                  Names:
                    WatchEvents: {Name: watch-events}
                    WatchEventsTwin: {Name: watch-events-twin}
                Resources:
                  WatcherFunction:
                    Type: AWS::Serverless::Function
                    Properties:
                      Events:
                        WatchKms: {Type: EventBridgeRule, Properties: {Pattern: {source: [aws.kms]}}}
                        'Fn::ForEach::WatchEvents':
                          - W
                          - [WatchEvents, WatchEventsTwin]
                          - '${W}':
                              Type: EventBridgeRule
                              Properties:
                                RuleName: !Sub ['${AWS::StackName}-${Name}', {Name: !FindInMap [Names, !Ref W, Name]}]
                                Pattern: {source: [aws.events]}
                """);

        Map<String, Object> events = Template.map(Template.map(Template.map(Template.map(expanded.get("Resources"))
                .get("WatcherFunction")).get("Properties")).get("Events"));
        assertThat(events).containsOnlyKeys("WatchKms", "WatchEvents", "WatchEventsTwin");
        assertThat(events.get("WatchEventsTwin")).isEqualTo(Map.of("Type", "EventBridgeRule", "Properties", Map.of(
                "RuleName", Map.of("Fn::Sub", List.of("${AWS::StackName}-${Name}", Map.of("Name", "watch-events-twin"))),
                "Pattern", Map.of("source", List.of("aws.events")))));
    }

    @Test
    void aLoopYieldingAnExistingKey_shouldFail() {
        assertThatThrownBy(() -> expand("""
                Transform: AWS::LanguageExtensions
                Resources:
                  TopicA: {Type: AWS::SNS::Topic}
                  'Fn::ForEach::Topics': [X, [A], {'Topic${X}': {Type: AWS::SNS::Topic}}]
                """)).hasMessageContaining("TopicA");
    }

    @Test
    void aCollectionThatIsNotALiteralList_orALoopInParameters_shouldFail() {
        assertThatThrownBy(() -> expand("""
                Transform: AWS::LanguageExtensions
                Parameters:
                  Names: {Type: CommaDelimitedList, Default: "a,b"}
                Resources:
                  'Fn::ForEach::Topics': [X, !Ref Names, {'Topic${X}': {Type: AWS::SNS::Topic}}]
                """)).hasMessageContaining("literal list");
        assertThatThrownBy(() -> expand("""
                Transform: AWS::LanguageExtensions
                Parameters:
                  'Fn::ForEach::P': [X, [A], {'P${X}': {Type: String}}]
                """)).hasMessageContaining("Parameters");
    }

    @Test
    void aTemplateWithoutTheTransform_shouldBeLeftAlone() throws Exception {
        Map<String, Object> expanded = expand("""
                Resources:
                  'Fn::ForEach::Topics': [X, [A], {'Topic${X}': {Type: AWS::SNS::Topic}}]
                """);

        assertThat(Template.map(expanded.get("Resources"))).containsOnlyKeys("Fn::ForEach::Topics");
    }

    private Map<String, Object> expand(String yaml) throws Exception {
        Path file = Files.writeString(dir.resolve("template.yaml"), yaml);
        return LanguageExtensions.expand(CfnYaml.read(file));
    }
}
